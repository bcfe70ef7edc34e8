"""The 职业健康检查台账 (the CDC's): batches of occupational health examinations an institution made at an enterprise
— 上岗前, 在岗期间, 离岗时, and the CDC's 主动监测 (free examinations of small enterprises' workers that have none) —
with the workers examined, suspected occupational diseases and contraindications, and whether the batch reached the
national system.

A batch is a record of the form health_exam_batch (entity `health_exam_batch`, named in an imported sheet by its
体检批次编号). It names its institution by the ledger's file (exam_institutions, field institution_id) or by name, and
its enterprise by the registry (enterprise_id) or by name.

States, most urgent first: 待补全 (a required answer missing); 未上报 (not yet in the national system); 已上报.

Figures of a period count the batches whose examination began in it: 体检人数 (by kind in the detail), 主动监测人数 and
主动监测企业数 (distinct enterprises of the period's active monitoring), 疑似职业病, 职业禁忌证.
"""

import sqlalchemy as sa

from ..models import Enterprise, Record
from .ledgers import Column, Ledger, register, tile
from .values import day_or_none, whole_number

KIND = "health_exams"
ENTITY = FORM_ID = "health_exam_batch"
INSTITUTION = "exam_institution"
ACTIVE = "active_monitoring"
STATES = (("incomplete", "待补全"), ("unreported", "未上报"), ("reported", "已上报"))
# The form's words for the kinds of examination (forms/definitions/health_exam_batch; a unit test keeps them equal).
KINDS = {"on_duty": "在岗期间", "pre_employment": "上岗前", "post_employment": "离岗时", "active_monitoring": "主动监测"}
REQUIRED = (("batch_no", "体检批次编号"), ("kind", "检查种类"), ("exam_from", "体检日期"),
            ("workers_examined", "体检人数"))




def missing_answers(data):
    """What a batch still lacks, in words."""
    missing = [label for name, label in REQUIRED if data.get(name) in (None, "")]
    if not data.get("institution_id") and not data.get("institution_name"):
        missing.append("职业健康检查机构")
    if not data.get("enterprise_id") and not data.get("enterprise_name"):
        missing.append("用人单位")
    if data.get("reported_national") is True and not data.get("reported_on"):
        missing.append("上报日期")
    return missing


def batch_state(data):
    """incomplete, unreported or reported."""
    if missing_answers(data):
        return "incomplete"
    return "reported" if data.get("reported_national") is True else "unreported"


def enterprise_key(data):
    """Who the examined enterprise is: its registry id, else its name; None when neither is given."""
    if data.get("enterprise_id"):
        return ("registry", data["enterprise_id"])
    name = "".join(str(data.get("enterprise_name") or "").split())
    return ("name", name) if name else None


def read_batches(session, regions):
    """The batch rows of the regions."""
    if not regions:
        return []
    return session.execute(sa.select(Record.id, Record.region_id, Record.data).where(
        Record.entity == ENTITY, Record.parent_id.is_(None), Record.deleted.is_(False),
        Record.region_id.in_(sorted(regions)))).all()


def names_of(session, batches):
    """({enterprise id: name}, {institution file id: name}) of what the batches link to."""
    enterprise_ids = {(b.data or {}).get("enterprise_id") for b in batches} - {None, ""}
    file_ids = {(b.data or {}).get("institution_id") for b in batches} - {None, ""}
    enterprises = dict(session.execute(sa.select(Enterprise.id, Enterprise.name).where(
        Enterprise.id.in_(sorted(enterprise_ids)))).all()) if enterprise_ids else {}
    files = {row.id: (row.data or {}).get("institution_name") for row in session.execute(
        sa.select(Record.id, Record.data).where(Record.id.in_(sorted(file_ids)), Record.entity == INSTITUTION,
                                                Record.deleted.is_(False)))} if file_ids else {}
    return enterprises, files


def _outcome_words(data):
    suspected, contraindicated = whole_number(data.get("suspected_cases")), whole_number(data.get("contraindications"))
    if not suspected and not contraindicated:
        return "未发现疑似职业病和职业禁忌证"
    return "；".join(filter(None, (f"疑似职业病 {suspected} 例" if suspected else "",
                                   f"职业禁忌证 {contraindicated} 例" if contraindicated else "")))


def _dates_words(data):
    start, end = day_or_none(data.get("exam_from")), day_or_none(data.get("exam_to"))
    if start is None:
        return "未填写"
    return f"{start.isoformat()} 至 {end.isoformat()}" if end and end != start else start.isoformat()


def _line(row, enterprises, files):
    data = row.data or {}
    state = batch_state(data)
    enterprise = enterprises.get(data.get("enterprise_id")) or data.get("enterprise_name") or "（未填用人单位）"
    institution = files.get(data.get("institution_id")) or data.get("institution_name") or "未填写"
    reported = day_or_none(data.get("reported_on"))
    return {"id": row.id, "region_id": row.region_id, "state": state, "due_on": None,
            "search": " ".join(str(v or "") for v in (data.get("batch_no"), enterprise, institution)),
            "enterprise_name": enterprise, "batch_no": data.get("batch_no") or "", "institution": institution,
            "kind": KINDS.get(data.get("kind"), "未填写"), "exam_dates": _dates_words(data),
            "workers": f"{whole_number(data.get('workers_examined'))} 人" if data.get("workers_examined") is not None
            else "未填写", "outcomes": _outcome_words(data),
            "reported": (f"已上报（{reported.isoformat()}）" if reported else "已上报")
            if data.get("reported_national") is True else "未上报",
            "missing": "、".join(missing_answers(data))}


def exam_lines(session, regions, today):
    """Every batch of the regions with its state (domain/ledgers.py Ledger.lines)."""
    batches = read_batches(session, regions)
    enterprises, files = names_of(session, batches)
    return [_line(row, enterprises, files) for row in batches]


def begun_in(data, date_from, date_to):
    """True when the batch's examination began in the period."""
    start = day_or_none(data.get("exam_from"))
    return start is not None and date_from <= start <= date_to


def exam_figures(session, regions, date_from, date_to, today, targets):
    """The ledger's tiles for a period (domain/ledgers.py Ledger.figures)."""
    batches = [row.data or {} for row in read_batches(session, regions)
               if begun_in(row.data or {}, date_from, date_to)]
    active = [data for data in batches if data.get("kind") == ACTIVE]
    by_kind = {}
    for data in batches:
        kind = KINDS.get(data.get("kind"), "未填写种类")
        by_kind[kind] = by_kind.get(kind, 0) + whole_number(data.get("workers_examined"))
    monitored = {key for key in map(enterprise_key, active) if key}

    def total(field, rows=batches):
        return sum(whole_number(data.get(field)) for data in rows)
    return [
        tile("examined", "职业健康检查人数", total("workers_examined"),
             detail_zh="；".join(f"{kind} {n} 人" for kind, n in sorted(by_kind.items(), key=lambda p: -p[1]))
             or "本期无职业健康检查"),
        tile("active_monitoring_workers", "主动监测人数", total("workers_examined", active),
             detail_zh=f"主动监测 {len(active)} 批"),
        tile("active_monitoring_enterprises", "主动监测企业", len(monitored)),
        tile("suspected", "疑似职业病", total("suspected_cases"),
             detail_zh=f"其中主动监测发现 {total('suspected_cases', active)} 例"),
        tile("contraindications", "职业禁忌证", total("contraindications"),
             detail_zh=f"其中主动监测发现 {total('contraindications', active)} 例"),
    ]


COLUMNS = (Column("enterprise_name", "用人单位"), Column("batch_no", "体检批次编号"), Column("institution", "检查机构"),
           Column("kind", "检查种类"), Column("exam_dates", "体检日期"), Column("workers", "体检人数"),
           Column("outcomes", "检查结果"), Column("reported", "国家系统"), Column("missing", "待补全"))

LEDGER = register(Ledger(kind=KIND, entity=ENTITY, form_id=FORM_ID, key="batch_no", title_zh="职业健康检查台账",
                         read_verb="healthexam.read", import_verb="healthexam.import", states=STATES, columns=COLUMNS,
                         lines=exam_lines, figures=exam_figures, agency_kinds=frozenset({"cdc"})))
