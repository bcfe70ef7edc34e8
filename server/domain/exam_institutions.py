"""The 职业健康检查机构 ledger (the CDC's): the district's examination institutions, the 职业健康档案卡 each reports a
year, and the CDC's 督导 of them with the rectification of what a 督导 found.

A file is a record of the form exam_institution (entity `exam_institution`, named in an imported sheet by its 备案编号).
Its children: `exam_card_count` (a year's running total of cards reported; with several counts of one year the
largest is the year's, the latest total) and `institution_supervision` (a 督导 visit), whose children are its
`supervision_item`s: one obligation of the checklist (reference table exam_supervision_checklist, after 《职业健康检查
管理办法》) answered 符合 / 不符合 / 不适用. A 不符合 item is a finding with a deadline and, once done, the day it was
rectified; its state today follows the rule of an inspection's rectification items (rectifications.item_status):
rectified, overdue from the day after its deadline, else being rectified (a deadline not entered yet counts as
today). A rectification dated after today is not one yet.

States of a file, most urgent first: 整改逾期 (a finding overdue); 整改中 (a finding not rectified yet); 本年未督导 (no
督导 this year on the business clock); 已督导.

Figures of a period: institutions; 督导覆盖率 (files with a 督导 dated in the period, of the files, against kpi_targets
exam_institution_supervision_coverage); the cards reported for the year the period ends in; the findings of the
period's 督导 and how many are rectified, judged on the period's last day (today while it runs on).
"""

import sqlalchemy as sa

from ..models import Record
from .ledgers import Column, Ledger, pct, register, target_of, tile
from .rectifications import item_status
from .reference_store import rows_in_force
from .values import day_or_none

KIND = "exam_institutions"
ENTITY = FORM_ID = "exam_institution"
CARDS, VISIT, ITEM = "exam_card_count", "institution_supervision", "supervision_item"
CHECKLIST = "exam_supervision_checklist"
COVERAGE_TARGET = "exam_institution_supervision_coverage"
STATES = (("overdue", "整改逾期"), ("rectifying", "整改中"), ("not_supervised", "本年未督导"), ("supervised", "已督导"))
# The form's words for the filed categories (forms/definitions/exam_institution; a unit test keeps them equal).
CATEGORIES = {"dust": "接触粉尘类", "chemical": "接触化学因素类", "physical": "接触物理因素类",
              "biological": "接触生物因素类", "radiation": "接触放射因素类", "other": "其他类（特殊作业等）"}
NOT_RECTIFIED = ("open", "due_soon", "overdue")



def finding_status(item, today):
    """A 不符合 item's state today, by the rule of rectification items: closed, overdue, due_soon or open."""
    rectified = day_or_none(item.get("rectified_on"))
    if rectified is not None and rectified > today:
        rectified = None
    return item_status(day_or_none(item.get("deadline")), rectified, None, today)


def is_finding(item):
    """A checklist item answered 不符合."""
    return item.get("result") == "nonconform"


def institution_state(statuses, last_supervised, today):
    """A file's state from its findings' states and the day of its last 督导 (None: never)."""
    if "overdue" in statuses:
        return "overdue"
    if any(status in NOT_RECTIFIED for status in statuses):
        return "rectifying"
    if last_supervised is None or last_supervised.year != today.year:
        return "not_supervised"
    return "supervised"


def cards_by_year(counts):
    """{year: cards} from a file's card counts: the largest count of each year (the year's latest running total)."""
    years = {}
    for data in counts:
        year, cards = data.get("year"), data.get("cards_reported")
        if isinstance(year, int) and isinstance(cards, (int, float)) and not isinstance(cards, bool):
            years[year] = max(years.get(year, 0), int(cards))
    return years


# ---------------------------------------------------------------------------------------------------------------
# Reading the files


def _rows(session, entity, regions, *, roots):
    query = sa.select(Record.id, Record.parent_id, Record.region_id, Record.data).where(
        Record.entity == entity, Record.deleted.is_(False), Record.region_id.in_(sorted(regions)))
    return session.execute(query.where(Record.parent_id.is_(None)) if roots else query).all()


def _by_parent(rows):
    found = {}
    for row in rows:
        found.setdefault(row.parent_id, []).append(row)
    return found


def read_files(session, regions):
    """[(file row, card counts' data, [(visit data, [item data])])] of the regions."""
    if not regions:
        return []
    cards = _by_parent(_rows(session, CARDS, regions, roots=False))
    visits = _by_parent(_rows(session, VISIT, regions, roots=False))
    items = _by_parent(_rows(session, ITEM, regions, roots=False))
    return [(file, [c.data or {} for c in cards.get(file.id, [])],
             [(v.data or {}, [i.data or {} for i in items.get(v.id, [])]) for v in visits.get(file.id, [])])
            for file in _rows(session, ENTITY, regions, roots=True)]


def checklist_names(session, today):
    """Checklist item key → its name, from the reference rows in force today."""
    return {row["key"]: row.get("title_zh") or row["key"] for row in rows_in_force(session, CHECKLIST, today)}


def _finding_words(item, status, names, today):
    name = names.get(item.get("item_key"), "检查项")
    what = f"{name}：{item.get('finding')}" if item.get("finding") else name
    deadline = day_or_none(item.get("deadline"))
    if deadline is None:
        return f"{what}（未定整改期限）"
    if status == "overdue":
        return f"{what}（限 {deadline.isoformat()} 前整改，已逾期 {(today - deadline).days} 天）"
    return f"{what}（限 {deadline.isoformat()} 前整改）"


def _cards_words(years, today):
    shown = [f"{year}年 {years[year]} 张" for year in (today.year, today.year - 1) if year in years]
    return "；".join(shown) or "未填报"


def _line(file, counts, visits, names, today):
    data = file.data or {}
    # A 督导 dated later than today has not happened; one not dated yet (being entered) still shows its findings.
    held = [(day_or_none(v.get("supervised_on")), items) for v, items in visits]
    held = [(day, items) for day, items in held if day is None or day <= today]
    findings = [(item, finding_status(item, today)) for _day_, items in held for item in items if is_finding(item)]
    last = max((day for day, _items in held if day is not None), default=None)
    open_ = [(item, status) for item, status in findings if status in NOT_RECTIFIED]
    deadlines = [day_or_none(item.get("deadline")) or today for item, _status in open_]
    last_words = "未督导"
    if last is not None:
        found = sum(is_finding(item) for day, items in held if day == last for item in items)
        last_words = f"{last.isoformat()}（不符合 {found} 项）" if found else f"{last.isoformat()}（均符合）"
    return {"id": file.id, "region_id": file.region_id,
            "state": institution_state([status for _item, status in findings], last, today),
            "due_on": min(deadlines).isoformat() if deadlines else None,
            "search": " ".join(str(data.get(k) or "") for k in ("institution_name", "filing_no", "credit_code")),
            "institution_name": data.get("institution_name") or "（未填机构名称）",
            "filing_no": data.get("filing_no") or "", "categories": "、".join(
                CATEGORIES.get(c, "其他") for c in data.get("exam_categories") or []) or "未填写",
            "last_supervision": last_words,
            "open_findings": "；".join(_finding_words(i, s, names, today) for i, s in open_) or "无",
            "cards": _cards_words(cards_by_year(counts), today)}


def institution_lines(session, regions, today):
    """Every file of the regions with its state today (domain/ledgers.py Ledger.lines)."""
    files = read_files(session, regions)
    names = checklist_names(session, today) if files else {}
    return [_line(file, counts, visits, names, today) for file, counts, visits in files]


# ---------------------------------------------------------------------------------------------------------------
# Figures


def period_findings(visits, date_from, date_to, as_of):
    """The findings of the 督导 dated in the period, each with its state on `as_of`."""
    return [finding_status(item, as_of) for data, items in visits
            if (day := day_or_none(data.get("supervised_on"))) is not None and date_from <= day <= date_to
            for item in items if is_finding(item)]


def supervised_in(visits, date_from, date_to):
    """True when a 督导 of the file is dated in the period."""
    return any((day := day_or_none(data.get("supervised_on"))) is not None and date_from <= day <= date_to
               for data, _items in visits)


def institution_figures(session, regions, date_from, date_to, today, targets):
    """The ledger's tiles for a period (domain/ledgers.py Ledger.figures)."""
    files = read_files(session, regions)
    as_of = min(date_to, today)
    covered = sum(supervised_in(visits, date_from, date_to) for _file, _counts, visits in files)
    year = date_to.year
    cards = sorted((((f.data or {}).get("institution_name") or "未填名称", cards_by_year(counts).get(year))
                    for f, counts, _visits in files), key=lambda pair: -(pair[1] or 0))
    total = sum(n or 0 for _name, n in cards)
    missing = sum(n is None for _name, n in cards)
    findings = [status for _f, _c, visits in files for status in period_findings(visits, date_from, date_to, as_of)]
    closed = sum(status == "closed" for status in findings)
    overdue = sum(status == "overdue" for status in findings)
    card_words = "；".join(f"{name} {n} 张" for name, n in cards if n is not None)
    return [
        tile("institutions", "职业健康检查机构", len(files)),
        tile("supervision_coverage", "职业健康检查机构督导覆盖率", pct(covered, len(files)), unit="pct",
             target_pct=target_of(session, targets, COVERAGE_TARGET), part=covered, whole=len(files),
             detail_zh=f"本期督导 {covered} 家 / 共 {len(files)} 家"),
        tile("health_record_cards", "上报职业健康档案卡", total,
             detail_zh=f"{year}年：" + ("；".join(filter(None, [card_words, f"{missing} 家未填报" if missing else ""]))
                                        or "无机构")),
        tile("findings", "督导发现问题", len(findings),
             detail_zh=f"已整改 {closed} 项，整改中 {len(findings) - closed - overdue} 项，逾期 {overdue} 项（截至 "
                       f"{as_of.isoformat()}）"),
        tile("findings_rectified", "督导发现问题已整改", closed,
             detail_zh=f"督导发现问题 {len(findings)} 项中已整改 {closed} 项" if findings else "本期督导未发现问题"),
    ]


COLUMNS = (Column("institution_name", "机构名称"), Column("filing_no", "备案编号"), Column("categories", "检查类别"),
           Column("last_supervision", "最近督导"), Column("open_findings", "待整改问题"),
           Column("cards", "职业健康档案卡"))

LEDGER = register(Ledger(kind=KIND, entity=ENTITY, form_id=FORM_ID, key="filing_no", title_zh="职业健康检查机构台账",
                         read_verb="examinst.read", import_verb="examinst.import", states=STATES, columns=COLUMNS,
                         lines=institution_lines, figures=institution_figures, agency_kinds=frozenset({"cdc"})))
