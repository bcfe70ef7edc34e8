"""Authentication for views: the `authenticated` decorator builds the Actor every domain call receives."""
import functools

import sqlalchemy as sa
from flask import current_app, g
from flask_jwt_extended import get_jwt, verify_jwt_in_request

from ..domain.actors import Actor
from ..domain.accounts import account_gate
from ..domain.errors import Forbidden, Unauthenticated
from ..domain.permissions import require, roles_for
from ..domain.regions import region_subtree_ids
from ..domain.tokens import is_token_revoked
from ..extensions import db, jwt
from ..models import Agency, User
from ..sync.devices import active_device, device_is_revoked
from .errors import envelope


def current_clock():
    """The app's business clock (server/clock.py): what "now" and "today" are for this request."""
    return current_app.extensions["clock"]


def current_actor():
    """The Actor of this request (set by `authenticated`)."""
    return g.actor


def load_actor(session, claims):
    """Actor from verified token claims; the user row is re-read so a deactivated user stops at once."""
    row = session.execute(sa.select(User, Agency.region_id, Agency.kind).join(Agency, Agency.id == User.agency_id)
                          .where(User.id == int(claims["sub"]))).first()
    if row is None or not row.User.active:
        raise Unauthenticated("账号不可用，请重新登录", code="ACCOUNT_UNAVAILABLE")
    user, region_id = row.User, row.region_id
    g.account_gate = account_gate(user, current_app.config["TOTP_REQUIRED_ROLES"])
    device_id = claims.get("device_id")
    active_device(session, device_id, user.id)
    return Actor(user_id=user.id, username=user.username, roles=frozenset(user.roles), agency_id=user.agency_id,
                 region_id=region_id, region_ids=region_subtree_ids(session, region_id), device_id=device_id,
                 display_name=user.display_name, agency_kind=row.kind)


def authenticated(verb=None, *, refresh=False, own_account=False):
    """Require a valid token and, given a verb of the rule book (domain/permissions.py POLICY), a role allowed to do
    it; sets g.actor. The view's target is checked against the jurisdiction where it is loaded. Until an initial
    password is changed or a required second factor set up, only views of one's own account (`own_account`) run."""
    if verb is not None:
        roles_for(verb)  # an unknown verb fails when the app is built, not at the first request

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request(refresh=refresh)
            g.actor = load_actor(db.session, get_jwt())
            if g.account_gate and not own_account:
                code, message = g.account_gate
                raise Forbidden(message, code=code)  # an initial password, a missing second factor: first things first
            if verb is not None:
                require(g.actor, verb)
            return view(*args, **kwargs)
        wrapper.permission = verb
        return wrapper
    return decorate


def register_jwt_callbacks():
    """Token problems answer with the same envelope as everything else."""
    @jwt.token_in_blocklist_loader
    def _revoked(_header, payload):
        revoked = is_token_revoked(db.session, payload.get("type"), payload["jti"])
        if revoked:
            db.session.commit()  # keeps a family revocation triggered by token reuse
        return revoked

    @jwt.expired_token_loader
    def _expired(_header, _payload):
        return envelope(401, "TOKEN_EXPIRED", "登录已过期，请刷新或重新登录")

    @jwt.invalid_token_loader
    def _invalid(reason):
        return envelope(401, "TOKEN_INVALID", "令牌无效，请重新登录",
                        [{"field": "Authorization", "code": "invalid", "message": "令牌无效", "message_en": reason}])

    @jwt.unauthorized_loader
    def _missing(reason):
        return envelope(401, "UNAUTHENTICATED", "请先登录",
                        [{"field": "Authorization", "code": "missing", "message": "缺少令牌", "message_en": reason}])

    @jwt.revoked_token_loader
    def _revoked_response(_header, payload):
        # A revoked tablet must learn that it is revoked (not just "log in again"): it stops syncing then.
        if device_is_revoked(db.session, payload.get("device_id")):
            return envelope(403, "DEVICE_REVOKED", "此设备已被停用，请联系管理员")
        return envelope(401, "TOKEN_REVOKED", "登录已注销，请重新登录")

    @jwt.needs_fresh_token_loader
    def _needs_fresh(_header, _payload):
        return envelope(401, "FRESH_TOKEN_REQUIRED", "请重新输入密码")

    @jwt.user_lookup_error_loader
    def _lookup_failed(_header, _payload):
        return envelope(401, "ACCOUNT_UNAVAILABLE", "账号不可用，请重新登录")
