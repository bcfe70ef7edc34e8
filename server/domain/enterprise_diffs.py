"""What a change does to an enterprise, field by field: stored values compared, then shown as people read them
(所属区县 临河区, 企业规模 中型, 申报危害因素 苯、噪声) — never a key, an id or a float's repr."""
import datetime as dt

import sqlalchemy as sa

from ..models import Region
from .checklists import format_date_zh
from .enterprises import EDITABLE, SIZE_LABELS
from .hazard_names import hazard_names
from .reference_store import table_data
from .registry_files import HEADERS, column_of

LABELS = {attribute: HEADERS[column_of(attribute)][0] for attribute in EDITABLE}


def changed_fields(enterprise, data):
    """{attribute: (stored value, new value)} for the attributes of `data` that differ from the enterprise's.
    Declared hazards are a set: the same factors in another order are no change."""
    changes = {}
    for attribute in EDITABLE:
        if attribute not in data:
            continue
        old, new = getattr(enterprise, attribute), data[attribute]
        same = (set(old or ()) == set(new or ())) if attribute == "declared_hazards" else old == new
        if not same:
            changes[attribute] = (old, new)
    return changes


def plain(value):
    """A stored value as JSON keeps it (an audit entry, a digest): dates as ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


class Reader:
    """Stored values in words: district names, hazard names, scheme titles (read once per import)."""

    def __init__(self, session):
        self.regions = dict(session.execute(sa.select(Region.id, Region.name)).all())
        self.hazard_factors = table_data(session, "hazard_factors")
        self.schemes = {row["key"]: row.get("title_zh") or row["key"]
                        for row in table_data(session, "classification_schemes")}

    def text(self, attribute, value):
        """The value as a person reads it; None for an empty one."""
        if value in (None, "", []):
            return None
        if attribute == "region_id":
            return self.regions.get(value, "")
        if attribute == "size":
            return f"{SIZE_LABELS[value]}型" if value in SIZE_LABELS else value
        if attribute == "declared_hazards":
            return hazard_names(value, self.hazard_factors)
        if attribute == "hazard_class_scheme":
            return self.schemes.get(value, value)
        if attribute == "hazard_class_assessed_on":
            return format_date_zh(value) if isinstance(value, dt.date) else str(value)
        if isinstance(value, float):
            return f"{value:.6f}".rstrip("0").rstrip(".")
        return str(value)

    def describe(self, changes):
        """[{field, label, old, new}] of changed_fields, in the registry's field order, in words."""
        return [{"field": attribute, "label": LABELS[attribute], "old": self.text(attribute, old),
                 "new": self.text(attribute, new)} for attribute, (old, new) in changes.items()]
