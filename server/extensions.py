"""Extensions, created unbound and attached to an app in create_app."""
from flask_jwt_extended import JWTManager, get_jwt, verify_jwt_in_request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy

from .models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
jwt = JWTManager()


def caller_key():
    """Rate limits count per device for signed-in callers (a district's tablets share one public address
    behind a NAT or the proxy), per address otherwise."""
    try:
        verify_jwt_in_request(optional=True)
        device = get_jwt().get("device_id")
    except Exception:  # an invalid token is refused by the view itself; the limit falls back to the address
        device = None
    return f"device:{device}" if device else get_remote_address()


limiter = Limiter(key_func=caller_key, default_limits=[])
api = Api()
