"""A second administrator for four-eyes checks (the demo city has one: `admin`)."""
import sqlalchemy as sa

from server.demo.seed import DEMO_PASSWORD
from server.domain.accounts import create_user
from server.extensions import db
from server.models import User

SECOND_ADMIN = "admin_fuhe"
SECOND_ADMIN_NAME = "周复核"


def add_second_admin(app):
    """Create the second admin (same agency as `admin`, the demo password, no password change pending)."""
    with app.app_context():
        first = db.session.scalar(sa.select(User).where(User.username == "admin"))
        create_user(db.session, app.extensions["password_hasher"], username=SECOND_ADMIN, password=DEMO_PASSWORD,
                    display_name=SECOND_ADMIN_NAME, agency_id=first.agency_id, roles=["admin"])
        db.session.commit()
    return SECOND_ADMIN
