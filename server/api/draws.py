"""双随机 draws: create, list, reproduce; the publication (一公开) is public, as JSON and as a page."""
import datetime as dt

from flask import Blueprint as PageBlueprint, render_template
from flask_smorest import Blueprint

from ..clock import CHINA
from ..domain.errors import NotFound
from ..extensions import db, limiter
from ..sync import assignments
from .schemas.draws import DrawCreateSchema, DrawListSchema, DrawSchema, PublicationSchema, ReproductionSchema
from .access import authenticated, current_actor, current_clock

blp = Blueprint("draws", __name__, url_prefix="/api", description="双随机抽查 Random inspection draws")
# The public page of a draw (HTML, outside /api): what anyone reads and saves to recompute the draw.
page_bp = PageBlueprint("draw_page", __name__, template_folder="../templates")


def format_instant_zh(text):
    """An ISO instant as China time in words: 2026年11月20日 10:00."""
    moment = dt.datetime.fromisoformat(text).astimezone(CHINA)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


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


@page_bp.get("/public/draws/<string:draw_id>")
@limiter.limit("60 per minute")
def public_page(draw_id):
    """一公开 as a page people read: every candidate, ratios and counts, the seed, the enterprises drawn; the same data
    is embedded as JSON for tools/recompute_draw.py. An unknown draw gets a page saying so (404)."""
    try:
        published = PublicationSchema().dump(assignments.publication(db.session, draw_id))
    except NotFound:
        return render_template("draw_public_unknown.html"), 404
    return render_template("draw_public.html", p=published, created_at=format_instant_zh(published["created_at"]))
