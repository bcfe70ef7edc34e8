"""Login, refresh, logout, me."""
import datetime as dt

from flask import current_app, request
from flask_jwt_extended import decode_token, get_jwt
from flask_smorest import Blueprint

from ..domain.accounts import authenticate
from ..domain.errors import DomainError, Unauthenticated
from ..domain.tokens import revoke_access_token, revoke_family, rotate_refresh_token
from ..extensions import db, limiter
from ..models import Device, RefreshToken, User
from ..sync.devices import register_device
from .access import authenticated, current_actor
from .schemas.auth import DoneSchema, LoginSchema, LogoutSchema, TokensSchema, UserSummarySchema
from .tokens import issue_tokens

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="登录与令牌 Login and tokens")


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _refresh_limit():
    return current_app.config["REFRESH_RATE_LIMIT"]


@blp.route("/login", methods=["POST"])
@limiter.limit(_login_limit)
@blp.arguments(LoginSchema)
@blp.response(200, TokensSchema)
@blp.doc(security=[])
def login(args):
    """Log in; registers (or keeps) the device and returns access and refresh tokens."""
    try:
        user = authenticate(db.session, current_app.extensions["password_hasher"], args["username"],
                            args["password"], current_app.config["LOCKOUT_THRESHOLD"])
    except DomainError:
        db.session.commit()  # the failed-attempt count (and a lockout) must outlive the refused request
        raise
    device = register_device(db.session, user, device_id=args["device_id"], name=args["device_name"],
                             user_agent=request.headers.get("User-Agent"))
    tokens = issue_tokens(db.session, user, device)
    db.session.commit()
    return tokens


@blp.route("/refresh", methods=["POST"])
@limiter.limit(_refresh_limit)
@authenticated(refresh=True)
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
@authenticated()
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
@authenticated()
@blp.response(200, UserSummarySchema)
def me():
    """The logged-in user."""
    return db.session.get(User, current_actor().user_id)
