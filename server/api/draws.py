"""双随机 draws: create, list, reproduce; the publication (一公开) is public."""
from flask_smorest import Blueprint

from ..extensions import db
from ..sync import assignments
from .schemas.draws import DrawCreateSchema, DrawListSchema, DrawSchema, PublicationSchema, ReproductionSchema
from .access import authenticated, current_actor, current_clock

blp = Blueprint("draws", __name__, url_prefix="/api", description="双随机抽查 Random inspection draws")


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
