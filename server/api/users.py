"""User administration."""
from flask import current_app
from flask_smorest import Blueprint

from ..domain.accounts import (admin_create_user, admin_reset_password, admin_unlock_user, admin_update_user,
                               list_users)
from ..extensions import db
from .access import authenticated, current_actor
from .schemas.admin import UserCreateSchema, UserListSchema, UserSchema, UserUpdateSchema
from .schemas.auth import TemporaryPasswordSchema

blp = Blueprint("users", __name__, url_prefix="/api/users", description="用户 Users")


@blp.route("", methods=["GET"])
@authenticated("user.list")
@blp.response(200, UserListSchema)
def index():
    """Users of agencies in your jurisdiction."""
    return {"items": list_users(db.session, current_actor())}


@blp.route("", methods=["POST"])
@authenticated("user.manage")
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create(data):
    """Create a user in an agency of your jurisdiction."""
    user = admin_create_user(db.session, current_app.extensions["password_hasher"], current_actor(), data)
    db.session.commit()
    return user


@blp.route("/<int:user_id>/password-reset", methods=["POST"])
@authenticated("user.manage")
@blp.response(200, TemporaryPasswordSchema)
def password_reset(user_id):
    """Give the user a temporary password (shown once), changed at their next login; clears their second factor."""
    temporary = admin_reset_password(db.session, current_app.extensions["password_hasher"], current_actor(), user_id)
    db.session.commit()
    return {"temporary_password": temporary}


@blp.route("/<int:user_id>/unlock", methods=["POST"])
@authenticated("user.manage")
@blp.response(200, UserSchema)
def unlock(user_id):
    """Unlock an account locked after too many failed logins."""
    user = admin_unlock_user(db.session, current_actor(), user_id)
    db.session.commit()
    return user


@blp.route("/<int:user_id>", methods=["PATCH"])
@authenticated("user.manage")
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
def update(changes, user_id):
    """Change a user's name, roles, team or certificate number, or deactivate the account."""
    user = admin_update_user(db.session, current_actor(), user_id, changes)
    db.session.commit()
    return user

