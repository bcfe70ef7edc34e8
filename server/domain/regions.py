"""Region hierarchy: paths and jurisdiction sets."""
import sqlalchemy as sa

from ..models import Agency, Region, Team
from .errors import Invalid


def region_subtree_ids(session, region_id):
    """Ids of the region and every region below it."""
    path = session.scalar(sa.select(Region.path).where(Region.id == region_id))
    if path is None:
        return frozenset()
    rows = session.scalars(sa.select(Region.id).where(Region.path.startswith(path)))
    return frozenset(rows)


def add_region(session, *, code, name, short_name, level, parent=None):
    """Create a region under `parent` and set its path."""
    if level not in ("province", "city", "district"):
        raise Invalid("地区级别无效", details=[{"field": "level", "code": "choice",
                                           "message": "应为 province/city/district",
                                           "message_en": "Must be province, city or district"}])
    region = Region(code=code, name=name, short_name=short_name, level=level,
                    parent_id=parent.id if parent else None)
    session.add(region)
    session.flush()
    region.path = f"{parent.path if parent else '/'}{region.id}/"
    return region


def add_agency(session, *, name, kind, region, parent=None, phone=None, address=None, settings=None):
    """Create an agency working at `region`."""
    if kind not in ("cdc", "supervision", "commission"):
        raise Invalid("机构类型无效", details=[{"field": "kind", "code": "choice",
                                           "message": "应为 cdc/supervision/commission",
                                           "message_en": "Must be cdc, supervision or commission"}])
    agency = Agency(name=name, kind=kind, region_id=region.id, parent_id=parent.id if parent else None,
                    phone=phone, address=address, settings=settings or {})
    session.add(agency)
    session.flush()
    return agency


def visible_regions(session, actor):
    """(regions, agencies, teams) within the actor's jurisdiction."""
    regions = session.scalars(sa.select(Region).where(Region.id.in_(actor.region_ids)).order_by(Region.path)).all()
    agencies = session.scalars(sa.select(Agency).where(Agency.region_id.in_(actor.region_ids))
                               .order_by(Agency.id)).all()
    teams = session.scalars(sa.select(Team).where(Team.agency_id.in_([a.id for a in agencies]))
                            .order_by(Team.agency_id, Team.id)).all() if agencies else []
    return regions, agencies, teams
