"""Occupational exposure limits (GBZ 2.1): rows, loading, and the limits in force on a date.

One row per (substance, condition, limit type, fraction, unit, effective period). Rows are versioned:
a 2021 benzene sample is judged with the pre-amendment 6/10 mg/m³ even when re-evaluated today.
"""

from dataclasses import dataclass
from functools import lru_cache

from .errors import Invalid
from .judgements import LimitUsed
from .references import check_confidence, default_path, in_period, parse_date, read_table

OEL_TABLE = "oel_limits"
LIMIT_TYPES = ("MAC", "PC-TWA", "PC-STEL")
CATEGORIES = ("chemical", "dust")
FRACTIONS = (None, "total", "respirable")
UNITS = ("mg/m3", "f/mL")

# Free-SiO₂ bands of 矽尘 (GBZ 2.1 表2): (lower bound, lower inclusive, upper bound, condition).
_SILICA_BANDS = ((10.0, True, 50.0, "sio2_10_50"), (50.0, False, 80.0, "sio2_50_80"),
                 (80.0, False, 100.0, "sio2_gt_80"))


@dataclass(frozen=True)
class OelRow:
    """One limit value of one substance under one condition for one effective period."""

    key: str
    name_zh: str
    name_en: str
    category: str
    limit_type: str
    value: float
    unit: str
    source_standard: str
    confidence: str
    verified: bool
    cas: str | None = None
    condition: str | None = None
    condition_zh: str | None = None
    fraction: str | None = None
    remarks: tuple = ()
    amendment: str | None = None
    effective_from: object = None  # datetime.date or None (open start)
    effective_to: object = None  # datetime.date or None; exclusive: first day no longer in force
    sources: tuple = ()
    note: str | None = None
    verified_by: str | None = None
    verified_at: str | None = None
    version: int = 1  # the row's version in the database, and the business date it took effect
    version_from: str | None = None

    @property
    def row_id(self):
        """Stable identity of the row: key|condition|limit type|fraction|unit|effective_from."""
        start = self.effective_from.isoformat() if self.effective_from else ""
        return "|".join([self.key, self.condition or "", self.limit_type, self.fraction or "",
                         self.unit, start])

    def in_force(self, on_date):
        """True when the row applies on on_date."""
        return in_period(on_date, self.effective_from, self.effective_to)

    def as_limit_used(self):
        """The provenance record a verdict carries for this row."""
        return LimitUsed(
            row_id=self.row_id, limit_type=self.limit_type, value=self.value, unit=self.unit,
            source_standard=self.source_standard, amendment=self.amendment,
            effective_from=self.effective_from.isoformat() if self.effective_from else None,
            effective_to=self.effective_to.isoformat() if self.effective_to else None,
            condition=self.condition, fraction=self.fraction, confidence=self.confidence,
            verified=self.verified, version=self.version, version_from=self.version_from)


def _choice(raw, field, allowed, index):
    value = raw.get(field)
    if value not in allowed:
        raise Invalid(f"第 {index} 行 {field} 无效: {value!r}",
                      details=[{"field": field, "message": f"one of {allowed}", "row": index}])
    return value


def parse_oel_row(raw, index=None):
    """Build an OelRow from one JSON row; raises Invalid naming the row and field."""
    try:
        value = float(raw["value"])
        row = OelRow(
            key=raw["key"], name_zh=raw["name_zh"], name_en=raw["name_en"],
            category=_choice(raw, "category", CATEGORIES, index),
            limit_type=_choice(raw, "limit_type", LIMIT_TYPES, index),
            value=value, unit=_choice(raw, "unit", UNITS, index),
            source_standard=raw["source_standard"], confidence=check_confidence(raw, index),
            verified=bool(raw["verified"]), cas=raw.get("cas"), condition=raw.get("condition"),
            condition_zh=raw.get("condition_zh"),
            fraction=_choice(raw, "fraction", FRACTIONS, index),
            remarks=tuple(raw.get("remarks") or ()), amendment=raw.get("amendment"),
            effective_from=parse_date(raw.get("effective_from"), "effective_from", index),
            effective_to=parse_date(raw.get("effective_to"), "effective_to", index),
            sources=tuple(raw.get("sources") or ()), note=raw.get("note"),
            verified_by=raw.get("verified_by"), verified_at=raw.get("verified_at"),
            version=int(raw.get("row_version") or 1), version_from=raw.get("row_version_from"))
    except KeyError as exc:
        raise Invalid(f"第 {index} 行缺少字段 {exc.args[0]}",
                      details=[{"field": exc.args[0], "message": "missing", "row": index}]) from exc
    except (TypeError, ValueError) as exc:
        raise Invalid(f"第 {index} 行 value 无效", details=[{"field": "value", "message": str(exc),
                                                            "row": index}]) from exc
    if value <= 0:
        raise Invalid(f"第 {index} 行限值必须为正数",
                      details=[{"field": "value", "message": "must be > 0", "row": index}])
    return row


def overlapping_rows(rows):
    """Pairs of row_ids describing the same limit with overlapping effective periods (data errors)."""
    problems = []
    by_series = {}
    for row in rows:
        series = (row.key, row.condition, row.limit_type, row.fraction, row.unit)
        by_series.setdefault(series, []).append(row)
    for series_rows in by_series.values():
        ordered = sorted(series_rows, key=lambda r: (r.effective_from is not None, r.effective_from))
        for earlier, later in zip(ordered, ordered[1:]):
            if earlier.effective_to is None or (later.effective_from is None
                                                or earlier.effective_to > later.effective_from):
                problems.append((earlier.row_id, later.row_id))
    return problems


def load_oel_rows(path=None):
    """Read an OEL table file (default reference/oel/gbz2_1.json) into a tuple of OelRow."""
    data = read_table(path or default_path("oel", "gbz2_1.json"), OEL_TABLE)
    rows = tuple(parse_oel_row(raw, index) for index, raw in enumerate(data["rows"]))
    problems = overlapping_rows(rows)
    if problems:
        raise Invalid("职业接触限值有效期重叠",
                      details=[{"field": "effective_from", "message": f"{a} overlaps {b}"}
                               for a, b in problems])
    return rows


@lru_cache(maxsize=1)
def limits_for(rows, substance_key, on_date, condition=None, fraction=None):
    """The rows of a substance in force on on_date for that condition (and fraction, if given)."""
    return tuple(row for row in rows
                 if row.key == substance_key and row.condition == condition
                 and (fraction is None or row.fraction == fraction) and row.in_force(on_date))


def conditions_for(rows, substance_key):
    """The conditions a substance's rows distinguish (e.g. dust/fume for lead), sorted; None first."""
    found = {row.condition for row in rows if row.key == substance_key}
    return tuple(sorted(found, key=lambda c: (c is not None, c or "")))


def silica_condition(free_sio2_pct):
    """The 矽尘 condition for a free-SiO₂ content in %; None below 10 % (not 矽尘: use 其他粉尘 or a specific dust)."""
    pct = float(free_sio2_pct)
    if not 0 <= pct <= 100:
        raise Invalid("游离SiO₂含量应在 0–100% 之间",
                      details=[{"field": "free_sio2_pct", "message": "must be within 0–100"}])
    for low, low_inclusive, high, condition in _SILICA_BANDS:
        if (pct > low or (low_inclusive and pct == low)) and pct <= high:
            return condition
    return None
