"""Regions and agencies of your jurisdiction (for pickers and document headers)."""
from flask_smorest import Blueprint

from ..domain.regions import visible_regions
from ..extensions import db
from .access import authenticated, current_actor
from .schemas.admin import RegionListSchema

blp = Blueprint("regions", __name__, url_prefix="/api/regions", description="地区与机构 Regions and agencies")


@blp.route("", methods=["GET"])
@authenticated()
@blp.response(200, RegionListSchema)
def index():
    """Regions and agencies you can see."""
    regions, agencies = visible_regions(db.session, current_actor())
    return {"regions": regions, "agencies": agencies}
