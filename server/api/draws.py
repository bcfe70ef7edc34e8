"""双随机 draws: create, list, reproduce; the publication (一公开) is public."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..extensions import db
from ..sync import assignments
from .access import authenticated, current_actor, current_clock
from .schemas.common import Int

blp = Blueprint("draws", __name__, url_prefix="/api", description="双随机抽查 Random inspection draws")


class DrawCreateSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    region_id = Int(required=True)
    scheme = fields.String(required=True, validate=validate.Length(max=32))
    due_date = fields.Date(load_default=None, allow_none=True)
    ratios = fields.Dict(keys=fields.String(), values=Int(validate=validate.Range(min=0, max=100)),
                         load_default=None, allow_none=True, metadata={"description": "Per class, % to draw"})
    inspector_ids = fields.List(Int(), load_default=None, allow_none=True)
    seed = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^\d{1,19}$"))


class DrawSchema(Schema):
    id = fields.String()
    title = fields.String()
    region_id = Int()
    scheme = fields.String()
    seed = fields.String()
    inputs = fields.Dict()
    inputs_hash = fields.String()
    result = fields.Dict()
    due_date = fields.Date(allow_none=True)
    created_at = fields.DateTime()


class DrawListSchema(Schema):
    items = fields.List(fields.Nested(DrawSchema))


class ReproductionSchema(Schema):
    reproduced = fields.Boolean()
    result = fields.Dict()


class PublicationSchema(Schema):
    title = fields.String()
    created_at = fields.DateTime()
    scheme = fields.String()
    ratios = fields.Dict()
    seed = fields.String()
    inputs_hash = fields.String()
    candidates = fields.Dict()
    assignments = fields.List(fields.Dict())


@blp.route("/draws", methods=["POST"])
@authenticated("draw.manage")
@blp.arguments(DrawCreateSchema)
@blp.response(201, DrawSchema)
def create(args):
    """Draw enterprises by class and inspector pairs at random; assignments reach the inspectors' tablets."""
    drawn = assignments.create_draw(db.session, current_actor(), clock=current_clock(), **args)
    db.session.commit()
    return drawn


@blp.route("/draws", methods=["GET"])
@authenticated("draw.manage")
@blp.response(200, DrawListSchema)
def index():
    """Draws of your jurisdiction."""
    return {"items": assignments.list_draws(db.session, current_actor())}


@blp.route("/draws/<string:draw_id>/reproduce", methods=["GET"])
@authenticated("draw.manage")
@blp.response(200, ReproductionSchema)
def reproduce(draw_id):
    """Compute the draw again from its recorded inputs and seed."""
    return assignments.reproduce(assignments.get_draw(db.session, current_actor(), draw_id))


@blp.route("/public/draws/<string:draw_id>", methods=["GET"])
@blp.response(200, PublicationSchema)
@blp.doc(security=[])
def publication(draw_id):
    """一公开: the draw as it is published — enterprises and inspectors by name, ratios, seed, inputs hash."""
    return assignments.publication(db.session, draw_id)
