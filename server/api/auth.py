"""Login, refresh, logout, me."""
import datetime as dt

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_jwt_extended import decode_token, get_jwt
from flask_smorest import Blueprint

from ..clock import host_now
from ..domain import audit
from ..domain.accounts import (change_password, confirm_totp, sign_in, start_totp_enrolment,
                               totp_enrolment_required)
from ..domain.passwords import policy
from ..domain.errors import DomainError, Unauthenticated
from ..domain.tokens import revoke_access_token, revoke_family, rotate_refresh_token
from ..extensions import db, limiter
from ..models import Device, RefreshToken, User
from ..sync.devices import register_device
from .access import authenticated, current_actor, current_clock
from .schemas.auth import (DoneSchema, LoginSchema, LogoutSchema, PasswordChangeSchema, PasswordPolicySchema,
                           RecoveryCodesSchema, TokensSchema, TotpConfirmSchema, TotpEnrolmentSchema,
                           UserSummarySchema)
from .tokens import issue_tokens

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="登录与令牌 Login and tokens")


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key():
    """Login attempts count per account too, whoever sends them and whatever token is attached."""
    body = request.get_json(silent=True)
    username = body.get("username") if isinstance(body, dict) else None
    return f"account:{str(username)[:64]}" if username else get_remote_address()


def _refresh_limit():
    return current_app.config["REFRESH_RATE_LIMIT"]


@blp.after_request
def _no_store(response):
    """Tokens, secrets and recovery codes are never kept by a browser or a proxy cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/login", methods=["POST"])
@limiter.limit(_login_limit, key_func=get_remote_address)  # per client address, even with a bearer token
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=_account_key)
@blp.arguments(LoginSchema)
@blp.response(200, TokensSchema)
@blp.doc(security=[])
def login(args):
    """Log in; registers (or keeps) the device and returns access and refresh tokens."""
    config = current_app.config
    try:
        user = sign_in(db.session, current_app.extensions["password_hasher"], args["username"], args["password"],
                       now=current_clock().now(), totp_code=args["totp_code"], totp_at=host_now(),
                       device_id=args["device_id"], lockout_threshold=config["LOCKOUT_THRESHOLD"],
                       lock_base_minutes=config["LOCK_BASE_MINUTES"], max_age_days=config["PASSWORD_MAX_AGE_DAYS"])
    except DomainError:
        db.session.commit()  # the failed-attempt count, a login lock and the audit entry outlive the refusal
        raise
    device = register_device(db.session, user, device_id=args["device_id"], name=args["device_name"],
                             user_agent=request.headers.get("User-Agent"))
    tokens = issue_tokens(db.session, user, device)
    tokens.update(must_change_password=user.must_change_password,
                  totp_enrolment_required=totp_enrolment_required(user, config["TOTP_REQUIRED_ROLES"]))
    audit.record_login(db.session, user.username, device.id, succeeded=True)
    db.session.commit()
    return tokens


@blp.route("/refresh", methods=["POST"])
@limiter.limit(_refresh_limit)
@authenticated(refresh=True, own_account=True)
@blp.response(200, TokensSchema)
@blp.doc(description="Send the refresh token as the Bearer token.")
def refresh():
    """Exchange a refresh token for a new pair; the old refresh token stops working (rotation)."""
    claims = get_jwt()
    old = db.session.get(RefreshToken, claims["jti"])
    user = db.session.get(User, int(claims["sub"]))
    device = db.session.get(Device, claims["device_id"])
    tokens = issue_tokens(db.session, user, device, family=old.family if old else None)
    rotate_refresh_token(db.session, claims["jti"], decode_token(tokens["refresh_token"])["jti"])
    db.session.commit()
    return tokens


@blp.route("/logout", methods=["POST"])
@authenticated(own_account=True)
@blp.arguments(LogoutSchema)
@blp.response(200, DoneSchema)
def logout(args):
    """End this access token and, when given, the refresh token's whole login."""
    claims = get_jwt()
    revoke_access_token(db.session, claims["jti"], dt.datetime.fromtimestamp(claims["exp"], dt.timezone.utc))
    if args["refresh_token"]:
        try:
            payload = decode_token(args["refresh_token"], allow_expired=True)
        except Exception as error:  # any undecodable token is the client's mistake
            raise Unauthenticated("刷新令牌无效", code="TOKEN_INVALID") from error
        token = db.session.get(RefreshToken, payload.get("jti"))
        if token is not None and token.user_id == current_actor().user_id:
            revoke_family(db.session, token.family)
    db.session.commit()
    return {"ok": True}


@blp.route("/me", methods=["GET"])
@authenticated(own_account=True)
@blp.response(200, UserSummarySchema)
def me():
    """The logged-in user."""
    return db.session.get(User, current_actor().user_id)


@blp.route("/password-policy", methods=["GET"])
@blp.response(200, PasswordPolicySchema)
@blp.doc(security=[])
def password_policy():
    """What a new password must meet (the meter on the password screens)."""
    return policy()


@blp.route("/password", methods=["POST"])
@authenticated(own_account=True)
@blp.arguments(PasswordChangeSchema)
@blp.response(200, DoneSchema)
def change_own_password(args):
    """Change your password (the current one, then a new one that meets the policy)."""
    change_password(db.session, current_app.extensions["password_hasher"], current_actor(), args["current_password"],
                    args["new_password"], now=current_clock().now())
    db.session.commit()
    return {"ok": True}


@blp.route("/totp/enrol", methods=["POST"])
@authenticated(own_account=True)
@blp.response(200, TotpEnrolmentSchema)
def totp_enrol():
    """Start the second factor: a secret for an authenticator app (scan the QR code of otpauth_uri)."""
    enrolment = start_totp_enrolment(db.session, current_actor())
    db.session.commit()
    return enrolment


@blp.route("/totp/confirm", methods=["POST"])
@authenticated(own_account=True)
@blp.arguments(TotpConfirmSchema)
@blp.response(200, RecoveryCodesSchema)
def totp_confirm(args):
    """Confirm the second factor with a current code; returns 10 recovery codes, shown once."""
    codes = confirm_totp(db.session, current_actor(), args["code"], at=host_now(), now=current_clock().now())
    db.session.commit()
    return {"recovery_codes": codes}
