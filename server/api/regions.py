"""Regions, agencies and teams of your jurisdiction (for pickers, filters and document headers)."""
from flask_smorest import Blueprint

from ..domain.regions import visible_regions
from ..extensions import db
from .access import authenticated, current_actor
from .schemas.admin import RegionListSchema

blp = Blueprint("regions", __name__, url_prefix="/api/regions", description="地区与机构 Regions and agencies")


@blp.route("", methods=["GET"])
@authenticated("reference.read")
@blp.response(200, RegionListSchema)
def index():
    """Regions, agencies and their field teams you can see."""
    regions, agencies, teams = visible_regions(db.session, current_actor())
    return {"regions": regions, "agencies": agencies, "teams": teams}
