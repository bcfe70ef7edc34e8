"""Users: password hashing (Argon2id), authentication with lockout, creation."""
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..models import ROLES, Agency, Team, User, UserRole, utcnow
from .errors import Forbidden, Invalid, NotFound, Unauthenticated
from . import audit
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


def authenticate(session, hasher, username, password, lockout_threshold):
    """The active, unlocked user with these credentials; raise Unauthenticated/Forbidden otherwise."""
    user = session.scalar(sa.select(User).where(User.username == username))
    try:
        ok = hasher.verify(user.password_hash if user else _dummy_hash(hasher), password)
    except (VerificationError, InvalidHashError):
        ok = False
    if user is None or not user.active:
        raise Unauthenticated("用户名或密码错误", code="INVALID_CREDENTIALS")
    if user.locked_at is not None:
        raise Forbidden("账号已锁定，请联系管理员解锁", code="ACCOUNT_LOCKED")
    if not ok:
        user.failed_logins += 1
        if user.failed_logins >= lockout_threshold:
            user.locked_at = utcnow()
        raise Unauthenticated("用户名或密码错误", code="INVALID_CREDENTIALS")
    user.failed_logins = 0
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


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
    details = []
    if len(password or "") < 8:
        details.append({"field": "password", "code": "min_length", "message": "密码至少8位",
                        "message_en": "Password needs at least 8 characters"})
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
    """Clear a lockout after an admin has checked who was trying."""
    user.locked_at = None
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
