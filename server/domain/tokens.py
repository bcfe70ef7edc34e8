"""Refresh-token rotation and access-token revocation (the persistence half of auth)."""
import datetime as dt

import sqlalchemy as sa

from ..models import RefreshToken, RevokedAccessToken, utcnow
from .errors import Unauthenticated


def record_refresh_token(session, *, jti, family, user_id, device_id, expires_at):
    """Store a newly issued refresh token."""
    session.add(RefreshToken(jti=jti, family=family, user_id=user_id, device_id=device_id,
                             expires_at=expires_at))


def rotate_refresh_token(session, jti, new_jti):
    """Retire `jti` in favour of `new_jti`; a retired token used again revokes its whole family."""
    token = session.get(RefreshToken, jti)
    if token is None:
        raise Unauthenticated("登录已失效，请重新登录", code="TOKEN_REVOKED")
    if token.revoked_at is not None:
        revoke_family(session, token.family)
        raise Unauthenticated("刷新令牌已被使用过，为安全起见已注销该设备的登录", code="TOKEN_REUSED")
    if token.expires_at <= utcnow():
        raise Unauthenticated("登录已过期，请重新登录", code="TOKEN_EXPIRED")
    token.revoked_at = utcnow()
    token.replaced_by = new_jti
    return token


def revoke_family(session, family):
    """Revoke every refresh token of one login."""
    session.execute(sa.update(RefreshToken).where(RefreshToken.family == family,
                                                  RefreshToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def revoke_device_tokens(session, device_id):
    """Revoke every refresh token issued to a device."""
    session.execute(sa.update(RefreshToken).where(RefreshToken.device_id == device_id,
                                                  RefreshToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def revoke_access_token(session, jti, expires_at):
    """End an access token before it expires (logout)."""
    if session.get(RevokedAccessToken, jti) is None:
        session.add(RevokedAccessToken(jti=jti, expires_at=expires_at))


def is_token_revoked(session, token_type, jti):
    """True for a logged-out access token or a retired refresh token.

    A refresh token that was rotated away and is presented again was copied: its whole family is revoked
    (the caller commits), so the thief and the owner both have to log in again.
    """
    if token_type == "refresh":
        token = session.get(RefreshToken, jti)
        if token is not None and token.revoked_at is not None and token.replaced_by is not None:
            revoke_family(session, token.family)
        return token is None or token.revoked_at is not None
    return session.get(RevokedAccessToken, jti) is not None


def purge_expired(session, now=None):
    """Delete revocation rows that no longer matter (housekeeping)."""
    now = now or utcnow()
    session.execute(sa.delete(RevokedAccessToken).where(RevokedAccessToken.expires_at < now))
    horizon = now - dt.timedelta(days=1)
    session.execute(sa.delete(RefreshToken).where(RefreshToken.expires_at < horizon))
