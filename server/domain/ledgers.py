"""The registers kept as ledgers (台账): 三同时 construction projects, 放射诊疗 institutions, 专项治理 campaigns (the
supervision agency's); 职业健康检查机构, 培训, 职业健康检查 (the CDC's).

A ledger's files are records of its own form (synced to the tablets of the roles that work with them, history in
record_changes, conflicts merged like any record; permissions.REGISTER_KINDS: never reviewed). What a ledger adds
is read here, once for every ledger: the list of its files with each file's state today (most urgent first, counts
by state, search, pages), the import of the sheet it was kept in until now (sync/register_imports.py), and its
figures against their targets on the dashboard and in the KPI report.

Each ledger is described by a `Ledger` and registered in LEDGERS by its module (domain/projects.py,
domain/radiology.py, domain/campaigns.py); the views, the PWA's ledger screen and the dashboard read LEDGERS, so a
ledger is one module of rules and one form.
"""
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from .errors import NotFound
from .permissions import can, readable_entities, require
from .reference_store import table_data


@dataclass(frozen=True)
class Column:
    """A column of the list: the key of a line's value and its heading (values are already as people read them)."""

    key: str
    label_zh: str


@dataclass(frozen=True)
class Ledger:
    """One register kept as a ledger.

    `lines(session, regions, today)` lists every file of the regions as plain dicts: "id" (the file's record id),
    "region_id", "state" (one of `states`), "due_on" (YYYY-MM-DD or None: what makes it urgent), "search" (the text
    the list's search box matches: names, numbers), and a value for each column's key, in words and dates a person
    reads (never a choice key). `figures(session, regions, date_from, date_to, today, targets)` gives the
    dashboard's tiles for a period: a list of Tile dicts (see `tile`)."""

    kind: str                 # its name in URLs: /api/ledgers/<kind>, the PWA's #/ledger/<kind>
    entity: str               # the file's record kind (a root entity of `form_id`)
    form_id: str
    key: str                  # the field that names a file in an imported sheet (must be unique in a district)
    title_zh: str
    read_verb: str            # permissions.POLICY verbs
    import_verb: str
    states: tuple             # ((state, 名称), …), most urgent first
    columns: tuple            # (Column, …) in the list's order
    lines: Callable
    figures: Callable
    agency_kinds: frozenset = field(default_factory=lambda: frozenset({"supervision"}))
    new_defaults: dict = field(default_factory=dict)  # values an imported new file gets when its sheet is silent


LEDGERS: dict = {}


def register(ledger):
    """Make a ledger known to the views, the import, the dashboard and the PWA."""
    LEDGERS[ledger.kind] = ledger
    return ledger


def ledger_of(kind):
    """The ledger of that name, or NotFound."""
    try:
        return LEDGERS[kind]
    except KeyError:
        raise NotFound("没有这个台账") from None


def tile(key, label_zh, value, *, unit="count", target_pct=None, detail_zh=None, part=None, whole=None):
    """A figure of a ledger on the dashboard: a count, or a percentage (`part` of `whole`, None when there is no
    whole: "无数据", never 0 %) with its target and whether it meets it."""
    meets = None if value is None or target_pct is None else value >= target_pct
    return {"key": key, "label_zh": label_zh, "value": value, "unit": unit, "target_pct": target_pct,
            "meets_target": meets, "detail_zh": detail_zh, "part": part, "whole": whole}


def pct(part, whole):
    """part ÷ whole in percent with one decimal, None when there is nothing to divide by."""
    return round(part / whole * 100, 1) if whole else None


def target_of(session, targets, key, default=None):
    """A KPI's target (%): from the period's targets as the dashboard read them (kpi_targets rows by key), else read
    now; `default` when kpi_targets has no such row."""
    if targets is None:
        targets = {row["key"]: row for row in table_data(session, "kpi_targets")}
    row = targets.get(key)
    value = row.get("target_pct") if isinstance(row, dict) else row
    return default if value is None else value


# A commission (卫健委) oversees the CDC and the supervision agency alike: it reads every agency's ledgers.
OVERSEEING_KINDS = frozenset({"commission"})


def readable(actor, ledger):
    """The regions whose files of this ledger the actor reads: its jurisdiction when its roles read the ledger's
    kind and its agency is of a kind that keeps the ledger (or oversees it), none otherwise (a CDC's sampler reads
    no 三同时 ledger, a supervision agency's admin no 培训台账 of the CDC)."""
    kinds = readable_entities(actor)
    if not can(actor, ledger.read_verb) or (kinds is not None and ledger.entity not in kinds):
        return set()
    if actor.agency_kind not in ledger.agency_kinds | OVERSEEING_KINDS:
        return set()
    return set(actor.region_ids)


def ledger_page(session, actor, ledger, today, *, state=None, query=None, page=1, per_page=50):
    """One page of the actor's ledger, the counts by state over all of it, its states and columns."""
    require(actor, ledger.read_verb)
    every = ledger.lines(session, readable(actor, ledger), today)
    names = dict(ledger.states)
    order = [s for s, _ in ledger.states]
    every.sort(key=lambda line: (order.index(line["state"]), line.get("due_on") or "9999", line.get("search") or ""))
    shown = [line for line in every if (not state or line["state"] == state)
             and (not query or query in (line.get("search") or ""))]
    start = (page - 1) * per_page
    counts = Counter(line["state"] for line in every)
    return {"kind": ledger.kind, "title_zh": ledger.title_zh, "form_id": ledger.form_id, "entity": ledger.entity,
            "states": [{"key": s, "label_zh": n, "count": counts.get(s, 0)} for s, n in ledger.states],
            "columns": [{"key": c.key, "label_zh": c.label_zh} for c in ledger.columns],
            "items": [{**line, "state_zh": names[line["state"]]} for line in shown[start:start + per_page]],
            "total": len(shown), "all": len(every), "page": page, "per_page": per_page,
            "can_import": can(actor, ledger.import_verb)}


def ledger_figures(session, actor, regions, date_from, date_to, today, targets):
    """Every ledger's tiles the actor reads, for the dashboard and the KPI report: [{kind, title_zh, tiles}]."""
    out = []
    for ledger in LEDGERS.values():
        if not readable(actor, ledger):
            continue
        out.append({"kind": ledger.kind, "title_zh": ledger.title_zh,
                    "tiles": ledger.figures(session, regions, date_from, date_to, today, targets)})
    return out
