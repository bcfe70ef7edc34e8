"""职业健康素养监测: the period's 知晓率 and 具备率 over the surveys handed in, for the CDC's supervisors."""
from flask_smorest import Blueprint

from ..domain.literacy import literacy_report
from ..extensions import db
from .access import authenticated, current_actor
from .schemas.literacy import LiteracyArgsSchema, LiteracyFiguresSchema

blp = Blueprint("literacy", __name__, url_prefix="/api/literacy", description="职业健康素养监测 Occupational health literacy")


@blp.route("/figures", methods=["GET"])
@authenticated("kpi.read")
@blp.arguments(LiteracyArgsSchema, location="query")
@blp.response(200, LiteracyFiguresSchema)
def figures(args):
    """Surveys, enterprises, respondents, 知晓率 and 具备率 overall, per part, by industry, size, sex and age band."""
    return literacy_report(db.session, current_actor(), **args)
