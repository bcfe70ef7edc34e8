"""Users: password hashing (Argon2id), authentication with lockout, creation."""
import datetime as dt

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..models import ROLES, Agency, Team, User, UserRole
from . import audit, passwords
from .errors import Forbidden, Invalid, NotFound, Unauthenticated, problem
from .permissions import check_admin_over, require

# "fast" keeps the test suite quick; never use it for real accounts.
HASH_PROFILES = {
    "standard": dict(time_cost=3, memory_cost=65536, parallelism=2),
    "fast": dict(time_cost=1, memory_cost=1024, parallelism=1),
}


def make_hasher(profile="standard"):
    """An Argon2id hasher with the named cost profile."""
    return PasswordHasher(**HASH_PROFILES[profile])


_DUMMY_HASHES = {}


def _dummy_hash(hasher):
    # Verifying against a real hash when the user does not exist keeps the response time the same,
    # so a login form cannot be used to find out which usernames exist.
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash("not-a-password")
    return _DUMMY_HASHES[key]


# One answer for an unknown user, a wrong password and a locked account: the login form reveals nothing.
BAD_LOGIN = "用户名或密码错误；多次失败后账号会被暂时锁定"
LOCK_MINUTES_MAX = 60


def _refused():
    return Unauthenticated(BAD_LOGIN, code="INVALID_CREDENTIALS")


def lock_minutes(failed, threshold, base_minutes):
    """How long password login waits after `failed` consecutive failures: nothing below the threshold, then
    base_minutes, doubling with each further failure, at most an hour (it slows a guesser, not the user)."""
    if failed < threshold:
        return 0
    return min(base_minutes * 2 ** (failed - threshold), LOCK_MINUTES_MAX)


def authenticate(session, hasher, username, password, *, now, lockout_threshold, lock_base_minutes=5,
                 totp_code=None, totp_at=None):
    """The active user with these credentials (and second factor, once enrolled); Unauthenticated otherwise.

    A run of wrong passwords locks password login for a while (lock_minutes); tokens the user's devices already
    hold keep working, so a stranger typing wrong passwords cannot stop a tablet in the field from syncing.
    """
    user = session.scalar(sa.select(User).where(User.username == username))
    try:
        ok = hasher.verify(user.password_hash if user else _dummy_hash(hasher), password)
    except (VerificationError, InvalidHashError):
        ok = False
    if user is None or not user.active:
        raise _refused()
    if user.locked_until is not None and user.locked_until > now:
        raise _refused()
    if not ok:
        user.failed_logins += 1
        minutes = lock_minutes(user.failed_logins, lockout_threshold, lock_base_minutes)
        if minutes:
            user.locked_at, user.locked_until = now, now + dt.timedelta(minutes=minutes)
        raise _refused()
    if user.totp_confirmed_at is not None:
        _second_factor(user, totp_code, totp_at or now)
    user.failed_logins, user.locked_until = 0, None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def sign_in(session, hasher, username, password, *, now, totp_code=None, totp_at=None, device_id=None,
            lockout_threshold, lock_base_minutes=5, max_age_days=0):
    """authenticate, with the attempt in the audit trail; a password older than max_age_days must be changed.
    On refusal the caller commits (the failure count, a login lock and the audit entry outlive the request)."""
    try:
        user = authenticate(session, hasher, username, password, now=now, lockout_threshold=lockout_threshold,
                            lock_base_minutes=lock_base_minutes, totp_code=totp_code, totp_at=totp_at)
    except Unauthenticated:
        audit.record_login(session, username, device_id, succeeded=False)
        raise
    expire_password(user, now, max_age_days)
    return user


def _second_factor(user, code, at):
    if not (code or "").strip():
        raise Unauthenticated("请输入动态验证码", code="TOTP_REQUIRED", details=[problem(
            "totp_code", "required", "请输入验证器应用中的 6 位动态验证码（或一个恢复码）",
            "Enter the 6-digit code from your authenticator app (or a recovery code)")])
    if passwords.totp_ok(user.totp_secret, code, at):
        return
    left = passwords.use_recovery_code(user.recovery_codes, code)
    if left is not None:
        user.recovery_codes = left
        return
    raise Unauthenticated("动态验证码错误", code="TOTP_REQUIRED", details=[problem(
        "totp_code", "invalid", "验证码错误或已过期，请输入当前的验证码", "Wrong or expired code")])


def expire_password(user, now, max_age_days):
    """With a maximum password age set, an older password must be changed at this login."""
    changed = user.password_changed_at or user.created_at
    if max_age_days and changed is not None and now - changed > dt.timedelta(days=max_age_days):
        user.must_change_password = True


def totp_enrolment_required(user, totp_roles):
    """True while a user of a role that needs a second factor has not set one up."""
    return user.totp_confirmed_at is None and bool(set(user.roles) & set(totp_roles))


def account_gate(user, totp_roles):
    """What the user must do before using the API, first things first: (code, message) or None."""
    if user.must_change_password:
        return "PASSWORD_CHANGE_REQUIRED", "请先修改初始密码"
    if totp_enrolment_required(user, totp_roles):
        return "TOTP_ENROLMENT_REQUIRED", "请先设置二次验证（动态验证码）"
    return None


def change_password(session, hasher, actor, current_password, new_password, *, now):
    """The user's own change: the current password, then a new one that meets the policy and differs."""
    user = session.get(User, actor.user_id)
    try:
        ok = hasher.verify(user.password_hash, current_password or "")
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        raise Invalid("当前密码错误", details=[problem("current_password", "wrong", "当前密码错误",
                                                    "The current password is wrong")])
    passwords.check_password(new_password, user.username, field="new_password")
    if new_password == current_password:
        raise Invalid("新密码不能与当前密码相同", details=[problem("new_password", "same_as_current",
                                                         "新密码不能与当前密码相同", "Choose a new password")])
    user.password_hash = hasher.hash(new_password)
    user.must_change_password, user.password_changed_at = False, now
    audit.record(session, actor, "user.password_change", user.id, username=user.username)


def start_totp_enrolment(session, actor):
    """A new secret for the user's authenticator app (confirmed by a code before it counts); a second factor
    already confirmed is replaced only through an admin's reset."""
    user = session.get(User, actor.user_id)
    if user.totp_confirmed_at is not None:
        raise Invalid("已设置二次验证", details=[problem("totp", "already_enrolled", "二次验证已设置；如需更换请联系管理员重置",
                                                     "Already enrolled; an admin can reset it")])
    user.totp_secret = passwords.new_totp_secret()
    return {"secret": user.totp_secret, "otpauth_uri": passwords.provisioning_uri(user.totp_secret, user.username)}


def confirm_totp(session, actor, code, *, at, now):
    """Confirm enrolment with a current code; returns the recovery codes (shown once)."""
    user = session.get(User, actor.user_id)
    if not user.totp_secret or user.totp_confirmed_at is not None:
        raise Invalid("请先开始设置二次验证", details=[problem("code", "not_enrolling", "没有待确认的二次验证",
                                                       "No enrolment to confirm")])
    if not passwords.totp_ok(user.totp_secret, code, at):
        raise Invalid("验证码错误", details=[problem("code", "invalid", "验证码错误或已过期，请输入当前的验证码",
                                                 "Wrong or expired code")])
    codes, hashes = passwords.new_recovery_codes()
    user.totp_confirmed_at, user.recovery_codes = now, hashes
    audit.record(session, actor, "user.totp_enrol", user.id, username=user.username)
    return codes


def admin_reset_password(session, hasher, actor, user_id):
    """An admin gives a user a temporary password, to be changed at the next login; returns it (shown once)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在")
    check_admin_over(actor, _agency_region(session, user.agency_id))
    temporary = passwords.temporary_password()
    user.password_hash, user.must_change_password = hasher.hash(temporary), True
    user.failed_logins, user.locked_until = 0, None
    user.totp_secret = user.totp_confirmed_at = user.recovery_codes = None  # a lost phone: enrol again
    audit.record(session, actor, "user.password_reset", user.id, username=user.username)
    return temporary


def validate_roles(roles):
    """Raise Invalid for unknown or empty role lists."""
    unknown = sorted(set(roles) - set(ROLES))
    if not roles or unknown:
        raise Invalid("角色无效", details=[{"field": "roles", "code": "choice",
                                         "message": "未知角色：" + "、".join(unknown) if unknown else "至少一个角色",
                                         "message_en": "Unknown roles: " + ", ".join(unknown) if unknown
                                         else "At least one role"}])


def create_user(session, hasher, *, username, password, display_name, agency_id, roles,
                team_id=None, enforcement_cert_no=None, phone=None):
    """Create a user with roles; inspectors need their enforcement certificate number (执法证号)."""
    validate_roles(roles)
    details = passwords.password_problems(password, username)
    if "inspector" in roles and not enforcement_cert_no:
        details.append({"field": "enforcement_cert_no", "code": "required", "message": "监督员必须填写执法证号",
                        "message_en": "Inspectors need an enforcement certificate number"})
    if session.scalar(sa.select(User.id).where(User.username == username)):
        details.append({"field": "username", "code": "unique", "message": "用户名已存在",
                        "message_en": "Username already taken"})
    if session.get(Agency, agency_id) is None:
        details.append({"field": "agency_id", "code": "not_found", "message": "机构不存在",
                        "message_en": "No such agency"})
    if team_id is not None and session.get(Team, team_id) is None:
        details.append({"field": "team_id", "code": "not_found", "message": "小组不存在",
                        "message_en": "No such team"})
    if details:
        raise Invalid("用户信息有误", details=details)
    user = User(username=username, display_name=display_name, password_hash=hasher.hash(password),
                agency_id=agency_id, team_id=team_id, enforcement_cert_no=enforcement_cert_no, phone=phone,
                role_rows=[UserRole(role=r) for r in sorted(set(roles))])
    session.add(user)
    session.flush()
    return user


def unlock_user(session, user):
    """Clear a login lock after an admin has checked who was trying."""
    user.locked_at = user.locked_until = None
    user.failed_logins = 0


def _agency_region(session, agency_id):
    return session.scalar(sa.select(Agency.region_id).where(Agency.id == agency_id))


def list_users(session, actor):
    """Users of agencies in the actor's jurisdiction."""
    require(actor, "user.list")
    return session.scalars(sa.select(User).join(Agency, Agency.id == User.agency_id)
                           .where(Agency.region_id.in_(actor.region_ids)).order_by(User.username)).all()


def admin_create_user(session, hasher, actor, data):
    """An admin creates a user in an agency of their jurisdiction."""
    region_id = _agency_region(session, data["agency_id"])
    if region_id is None:
        raise NotFound("机构不存在")
    check_admin_over(actor, region_id)
    user = create_user(session, hasher, **data)
    user.must_change_password = True  # the admin chose it: the user sets their own at first login
    audit.record(session, actor, "user.create", user.id, username=user.username, roles=user.roles,
                 agency_id=user.agency_id)
    return user


def admin_unlock_user(session, actor, user_id):
    """An admin unlocks an account of their jurisdiction."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在")
    check_admin_over(actor, _agency_region(session, user.agency_id))
    unlock_user(session, user)
    audit.record(session, actor, "user.unlock", user.id, username=user.username)
    return user


UPDATABLE = ("display_name", "roles", "team_id", "active", "enforcement_cert_no", "phone")


def admin_update_user(session, actor, user_id, changes):
    """An admin changes a user's name, roles, team, certificate number or deactivates the account."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在")
    check_admin_over(actor, _agency_region(session, user.agency_id))
    if user.id == actor.user_id and (changes.get("active") is False or
                                     ("roles" in changes and "admin" not in changes["roles"])):
        raise Forbidden("不能停用自己的账号或取消自己的管理员角色", code="SELF_LOCKOUT")
    roles = changes.get("roles", user.roles)
    validate_roles(roles)
    if "inspector" in roles and not changes.get("enforcement_cert_no", user.enforcement_cert_no):
        raise Invalid("监督员必须填写执法证号", details=[{"field": "enforcement_cert_no", "code": "required",
                                                "message": "监督员必须填写执法证号",
                                                "message_en": "Inspectors need an enforcement certificate number"}])
    for name in ("display_name", "team_id", "active", "enforcement_cert_no", "phone"):
        if name in changes:
            setattr(user, name, changes[name])
    if "roles" in changes and set(changes["roles"]) != set(user.roles):
        user.role_rows = [UserRole(role=r) for r in sorted(set(changes["roles"]))]
    audit.record(session, actor, "user.update", user.id, changed=sorted(changes))
    session.flush()
    return user
