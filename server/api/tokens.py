"""Issuing JWTs: the Flask half of auth (the persistence half is server/domain/tokens.py)."""
import datetime as dt
import uuid

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token

from ..domain.actors import OFFICE_ROLES
from ..domain.tokens import record_refresh_token


def issue_tokens(session, user, device, family=None):
    """Access + refresh token pair for a user on a device; the refresh token is recorded for rotation."""
    access_minutes = current_app.config["JWT_ACCESS_TOKEN_EXPIRES_MINUTES"]
    refresh_life = dt.timedelta(days=current_app.config["JWT_REFRESH_TOKEN_EXPIRES_DAYS"])
    if set(user.roles) <= OFFICE_ROLES:
        # Office sessions end after a spell of inactivity (等保 level 3): each refresh slides the window, an
        # unattended office screen is logged out. Field tablets keep their long refresh for days offline.
        refresh_life = dt.timedelta(minutes=access_minutes + current_app.config["OFFICE_IDLE_MINUTES"])
    claims = {"roles": user.roles, "agency_id": user.agency_id, "device_id": device.id}
    access = create_access_token(identity=str(user.id), additional_claims=claims,
                                 expires_delta=dt.timedelta(minutes=access_minutes))
    refresh = create_refresh_token(identity=str(user.id), additional_claims={"device_id": device.id},
                                   expires_delta=refresh_life)
    payload = decode_token(refresh)
    record_refresh_token(session, jti=payload["jti"], family=family or str(uuid.uuid4()), user_id=user.id,
                         device_id=device.id,
                         expires_at=dt.datetime.fromtimestamp(payload["exp"], dt.timezone.utc))
    return {"access_token": access, "refresh_token": refresh, "device_id": device.id,
            "expires_in": access_minutes * 60, "user": user}
