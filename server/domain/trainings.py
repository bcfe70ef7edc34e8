"""The 培训台账 (the CDC's): the occupational-health trainings the CDC held or guided — for employers' heads and
managers, workers, radiation workers, the small enterprises it assists — with the people trained and the enterprises
that took part.

A session is a record of the form training_session (entity `training_session`, named in an imported sheet by its
培训编号); each enterprise trained is a child `training_enterprise` (a registry enterprise by its id, or a name when
it is not in the registry), so two tablets adding enterprises to one session never conflict.

States, most urgent first: 待补全 (a required answer is missing, or a training of assisted enterprises lists none of
them); 未举办 (dated after today); 已举办.

Figures of a period count the sessions held in it (dated in the period, not after today): 培训场次, 培训人数 (by
audience in the detail) and 培训用人单位数 (distinct enterprises listed by those sessions: a registry enterprise once
however many sessions name it; one outside the registry by its name).
"""

import sqlalchemy as sa

from ..models import Record
from .ledgers import Column, Ledger, register, tile
from .values import day_or_none, whole_number

KIND = "trainings"
ENTITY = FORM_ID = "training_session"
ENTERPRISE = "training_enterprise"
STATES = (("incomplete", "待补全"), ("planned", "未举办"), ("held", "已举办"))
# The form's words for the audience (forms/definitions/training_session; a unit test keeps them equal).
KINDS = {"managers": "用人单位负责人和管理人员", "workers": "劳动者", "radiology": "放射工作人员",
         "assisted": "帮扶企业", "other": "其他"}
REQUIRED = (("title", "培训名称"), ("held_on", "培训日期"), ("kind", "培训对象"), ("organiser", "组织单位"),
            ("people_trained", "培训人数"))




def missing_answers(data, enterprises):
    """What a session still lacks, in words: its required answers, and the enterprises of an assisted training."""
    missing = [label for name, label in REQUIRED if data.get(name) in (None, "", [])]
    if data.get("kind") == "assisted" and not enterprises:
        missing.append("参训的帮扶企业")
    return missing


def session_state(data, enterprises, today):
    """incomplete, planned (dated after today) or held."""
    if missing_answers(data, enterprises):
        return "incomplete"
    held = day_or_none(data.get("held_on"))
    return "planned" if held is not None and held > today else "held"


def enterprise_key(data):
    """Who an enterprise trained is, across sessions: its registry id, else its name; None when neither is given."""
    if data.get("enterprise_id"):
        return ("registry", data["enterprise_id"])
    name = "".join(str(data.get("enterprise_name") or "").split())
    return ("name", name) if name else None


def read_sessions(session, regions):
    """[(session row, [enterprise data])] of the regions."""
    if not regions:
        return []
    rows = session.execute(sa.select(Record.id, Record.parent_id, Record.region_id, Record.entity, Record.data).where(
        Record.entity.in_((ENTITY, ENTERPRISE)), Record.deleted.is_(False),
        Record.region_id.in_(sorted(regions)))).all()
    enterprises = {}
    for row in rows:
        if row.entity == ENTERPRISE:
            enterprises.setdefault(row.parent_id, []).append(row.data or {})
    return [(row, enterprises.get(row.id, [])) for row in rows if row.entity == ENTITY and row.parent_id is None]


def _line(row, enterprises, today):
    data = row.data or {}
    missing = missing_answers(data, enterprises)
    held = day_or_none(data.get("held_on"))
    named = {key for key in map(enterprise_key, enterprises) if key}
    people = data.get("people_trained")
    hours = data.get("hours")
    state = session_state(data, enterprises, today)
    return {"id": row.id, "region_id": row.region_id, "state": state,
            "due_on": held.isoformat() if held is not None and state == "planned" else None,
            "search": " ".join(str(data.get(k) or "") for k in ("title", "session_no", "organiser")),
            "title": data.get("title") or "（未填培训名称）", "session_no": data.get("session_no") or "",
            "held_on": held.isoformat() if held else "未填写", "kind": KINDS.get(data.get("kind"), "未填写"),
            "people": f"{whole_number(people)} 人" if people is not None else "未填写",
            "hours": f"{hours:g} 学时" if isinstance(hours, (int, float)) and not isinstance(hours, bool) else "",
            "enterprises": f"{len(named)} 家" if named else "", "organiser": data.get("organiser") or "未填写",
            "missing": "、".join(missing)}


def training_lines(session, regions, today):
    """Every session of the regions with its state today (domain/ledgers.py Ledger.lines)."""
    return [_line(row, enterprises, today) for row, enterprises in read_sessions(session, regions)]


def held_in(data, date_from, date_to, today):
    """True when the session was held in the period (and not after today)."""
    held = day_or_none(data.get("held_on"))
    return held is not None and date_from <= held <= min(date_to, today)


def training_figures(session, regions, date_from, date_to, today, targets):
    """The ledger's tiles for a period (domain/ledgers.py Ledger.figures)."""
    held = [(row.data or {}, enterprises) for row, enterprises in read_sessions(session, regions)
            if held_in(row.data or {}, date_from, date_to, today)]
    people = {}
    for data, _enterprises in held:
        kind = KINDS.get(data.get("kind"), "未填写培训对象")
        people[kind] = people.get(kind, 0) + whole_number(data.get("people_trained"))
    named = {key for _data, enterprises in held for key in map(enterprise_key, enterprises) if key}
    in_registry = sum(kind == "registry" for kind, _value in named)
    by_kind = "；".join(f"{kind} {n} 人" for kind, n in sorted(people.items(), key=lambda pair: -pair[1]))
    return [
        tile("sessions", "培训场次", len(held)),
        tile("people", "培训人数", sum(people.values()), detail_zh=by_kind or "本期无培训"),
        tile("enterprises", "培训用人单位", len(named),
             detail_zh=f"名录中的单位 {in_registry} 家，名录外 {len(named) - in_registry} 家" if named
             else "本期培训未列出参训用人单位"),
    ]


COLUMNS = (Column("title", "培训名称"), Column("session_no", "培训编号"), Column("held_on", "培训日期"),
           Column("kind", "培训对象"), Column("people", "培训人数"), Column("hours", "学时"),
           Column("enterprises", "参训用人单位"), Column("organiser", "组织单位"), Column("missing", "待补全"))

LEDGER = register(Ledger(kind=KIND, entity=ENTITY, form_id=FORM_ID, key="session_no", title_zh="职业健康培训台账",
                         read_verb="training.read", import_verb="training.import", states=STATES, columns=COLUMNS,
                         lines=training_lines, figures=training_figures, agency_kinds=frozenset({"cdc"})))
