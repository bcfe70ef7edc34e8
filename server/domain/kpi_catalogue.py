"""The KPI catalogue: every figure the work plans report, defined once as reference data (table kpi_catalogue,
reference/kpis/catalogue.json) and evaluated here over the figures domain/kpis.py computes for a period, a district,
an agency and a team.

A row names its figure (title_zh, section_zh, unit), its formula over the computed figures, the record kinds it is
computed from (entities), its target (a kpi_targets key), whether it is computed per team (by_team) and whether it is
counted in the period or judged today (as_of). The dashboard, the KPI report (PDF, XLSX) and the year-end summary
read the rows evaluated here; none keeps a list of its own.

A figure is shown with its status, never as a made-up 0:
- ok: computed (its value may still be None when there is nothing to divide by: 无数据);
- not_collected: the product does not record it (no formula), or no record of its kinds exists in the scope at all;
- not_by_team: asked for a team, but the figure belongs to the district (a register, a coverage).
Figures of work the actor's agency does not do (the supervision side's figures for a CDC) are left out.

Formulas (all paths into the figures dict; `ledgers.<kind>.<tile>` reads a ledger tile's value):
- {"value": path}
- {"ratio": [part path, whole path]}: part ÷ whole in %, one decimal
- {"count_where": [list path, path in each row]}: rows of the list whose value is above 0 (teams that sampled)
- {"days_between": [first day path, last day path]}: days from the first to the last, both counted
"""
import datetime as dt

import sqlalchemy as sa

from ..models import Record
from .permissions import own_entities, readable_entities
from .reference_store import table_data

TABLE = "kpi_catalogue"
STATUS_ZH = {"ok": "", "not_collected": "未采集", "not_by_team": "不分小组统计"}
FORMULAS = ("value", "ratio", "count_where", "days_between")


def catalogue_rows(session):
    """The catalogue's rows in their order."""
    return table_data(session, TABLE)


def _ledger_tiles(figures):
    return {group["kind"]: {tile["key"]: tile for tile in group["tiles"]} for group in figures.get("ledgers") or []}


def lookup(figures, path):
    """The value at a dotted path of the figures (None when any step is missing)."""
    parts = path.split(".")
    if parts[0] == "ledgers":
        tile = _ledger_tiles(figures).get(parts[1], {}).get(parts[2]) if len(parts) >= 3 else None
        if tile is None:
            return None
        return tile.get(parts[3]) if len(parts) > 3 else tile.get("value")
    value = figures
    for part in parts:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _pct(part, whole):
    return round(part / whole * 100, 1) if whole else None


def evaluate(formula, figures):
    """The value of a formula over the figures (None when its inputs are missing or there is nothing to divide by)."""
    if "value" in formula:
        return lookup(figures, formula["value"])
    if "ratio" in formula:
        part, whole = (lookup(figures, path) for path in formula["ratio"])
        return None if part is None or whole is None else _pct(part, whole)
    if "count_where" in formula:
        rows_path, inner = formula["count_where"]
        rows = lookup(figures, rows_path) or []
        return sum(1 for row in rows if (lookup(row, inner) or 0) > 0)
    if "days_between" in formula:
        first, last = (lookup(figures, path) for path in formula["days_between"])
        if not first or not last:
            return None
        return (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
    raise ValueError(f"unknown formula {formula!r}")


def check_formula(formula):
    """True when the formula is one of FORMULAS with its paths (a unit test keeps the shipped catalogue valid)."""
    if formula is None:
        return True
    return isinstance(formula, dict) and len(formula) == 1 and next(iter(formula)) in FORMULAS


def collected_kinds(session, regions, kinds):
    """Of these record kinds, those with at least one record (any state, not deleted) in the regions."""
    if not regions or not kinds:
        return set()
    return set(session.scalars(sa.select(Record.entity).distinct().where(
        Record.entity.in_(sorted(kinds)), Record.region_id.in_(sorted(regions)), Record.deleted.is_(False))))


def figure_text(value, unit):
    """A figure as people read it: 62家, 95.2%, 51天; 无数据 when there is none."""
    if value is None:
        return "无数据"
    if unit == "%":
        return f"{value:.1f}%"
    if isinstance(value, float):
        return f"{value:g}{unit}"
    return f"{value}{unit}"


def change_text(value, previous, unit):
    """增减 against last year: percentage points for rates, the difference (and its relative change) for counts."""
    if value is None or previous is None:
        return "—"
    diff = value - previous
    if unit == "%":
        return f"{diff:+.1f}个百分点"
    if unit == "天":
        return f"{diff:+g}天"
    relative = f"（{diff / previous * 100:+.1f}%）" if previous else ""
    return f"{diff:+g}{unit}{relative}"


def reported_kinds(actor):
    """The record kinds whose figures the actor reports: its agency's own work (what is shared with it to read, such
    as the CDC's monitoring results for the supervision agency, is not its work), every kind for a commission or an
    admin (None)."""
    return None if readable_entities(actor) is None else own_entities(actor)


def visible_rows(session, actor):
    """The catalogue rows of the actor's agency's work (all for a commission or an admin)."""
    kinds = reported_kinds(actor)
    return [row for row in catalogue_rows(session) if kinds is None or set(row["entities"]) & kinds]


def catalogue_figures(session, actor, figures, regions, *, previous=None, team_id=None):
    """Every visible catalogue figure for the scope the figures were computed for, with last year's beside it when
    `previous` (the same figures a year earlier) is given: [{key, title_zh, section_zh, unit, value, text, status,
    status_zh, target_pct, meets_target, previous, previous_text, change, as_of, seed_zh}]."""
    rows = visible_rows(session, actor)
    collected = collected_kinds(session, regions, {kind for row in rows for kind in row["entities"]})
    targets = figures.get("targets") or {}
    out = []
    for row in rows:
        unit = row["unit"]
        if row.get("formula") is None or not set(row["entities"]) & collected:
            status = "not_collected"
        elif team_id and not row.get("by_team"):
            status = "not_by_team"
        else:
            status = "ok"
        value = evaluate(row["formula"], figures) if status == "ok" else None
        before = evaluate(row["formula"], previous) if status == "ok" and previous is not None else None
        target = (targets.get(row.get("target")) or {}).get("target_pct") if row.get("target") else None
        out.append({
            "key": row["key"], "title_zh": row["title_zh"], "section_zh": row["section_zh"], "unit": unit,
            "value": value, "text": figure_text(value, unit) if status == "ok" else STATUS_ZH[status],
            "status": status, "status_zh": STATUS_ZH[status], "target_pct": target,
            "meets_target": None if value is None or target is None else value >= target,
            "previous": before, "previous_text": figure_text(before, unit) if status == "ok" else STATUS_ZH[status],
            "change": change_text(value, before, unit) if status == "ok" else "—",
            "as_of": row.get("as_of") or "period", "seed_zh": row.get("seed_zh"), "formula": row.get("formula")})
    return out


def sections(figures_list):
    """The catalogue figures grouped by their area of work, in the catalogue's order: [(section, [figure])]."""
    grouped = {}
    for figure in figures_list:
        grouped.setdefault(figure["section_zh"], []).append(figure)
    return list(grouped.items())
