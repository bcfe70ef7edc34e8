"""The year-end summary's data annex (年度职业健康工作总结 数据附件): every figure of the KPI catalogue for a year with
the year before beside it, the tables by hazard, by industry and by campaign, the literacy survey's rates, the work
by month, and what the system does not collect — the numbers the 科长 writes the prose around.

Only the content is decided here; server/documents/year_summary.py lays it out as a Word document and a PDF. The
figures are those of domain/kpis.py and domain/kpi_catalogue.py, for the whole calendar year (a year still running
is counted to today) and the whole year before.
"""
import datetime as dt
from collections import Counter

import sqlalchemy as sa

from ..models import Agency, Record, Region
from .campaigns import INDUSTRIES, STATE_NAMES, campaigns_in_period
from .errors import Invalid, problem
from .kpi_catalogue import figure_text, sections
from .kpi_reports import hazard_rows
from .kpis import KINDS_ZH, kpis, period_roots, scope_regions
from . import ledger_registry  # noqa: F401  (registers every ledger)
from .ledgers import LEDGERS, readable
from .permissions import ensure_in_jurisdiction

FIRST_YEAR = 2000


def check_year(year, today):
    """A year the summary can be made for: not before FIRST_YEAR, not after this year."""
    if not FIRST_YEAR <= year <= today.year:
        raise Invalid("年份无效", details=[problem("year", "out_of_range", f"年份应在 {FIRST_YEAR} 至 {today.year} 之间",
                                                 f"The year must be {FIRST_YEAR}–{today.year}")])


def _industry_rows(figures, previous):
    before = {row["key"]: row for row in previous["sampling"]["by_industry"]}
    return [{"label": row["key"], "evaluated": row["evaluated"], "nonconform": row["nonconform"],
             "pct": row["exceedance_pct"], "pct_text": figure_text(row["exceedance_pct"], "%"),
             "previous_pct": (before.get(row["key"]) or {}).get("exceedance_pct"),
             "previous_text": figure_text((before.get(row["key"]) or {}).get("exceedance_pct"), "%")}
            for row in figures["sampling"]["by_industry"]]


def _campaign_rows(session, actor, regions, date_from, date_to, today):
    """The campaigns of the year: industry, dates, enterprises enrolled, completed and still open today."""
    if not readable(actor, LEDGERS["campaigns"]):
        return None
    rows = []
    for view in campaigns_in_period(session, regions, date_from, date_to, today):
        data = view.record.data or {}
        counts = view.counts
        open_now = sum(n for state, n in counts.items() if state != "completed")
        rows.append({"name": data.get("campaign_name") or "—", "industry": INDUSTRIES.get(data.get("industry"), "—"),
                     "start": view.start.isoformat() if view.start else "—",
                     "deadline": view.deadline.isoformat() if view.deadline else "—",
                     "enrolled": len(view.enrolled), "completed": counts.get("completed", 0), "open": open_now,
                     "states": "、".join(f"{STATE_NAMES[s]} {n}" for s, n in counts.items() if n) or "未纳入企业"})
    return rows


def monthly_work(session, actor, regions, date_from, date_to):
    """Handed-in field records by month of their business date: {month: Counter(kind)} for months 1–12."""
    query = period_roots(actor, regions, date_from, date_to).with_only_columns(
        Record.entity, Record.business_date, Record.review_status)
    months = {month: Counter() for month in range(1, 13)}
    for entity, day, state in session.execute(query):
        if state != "returned":
            months[day.month][entity] += 1
    return months


def _monthly_rows(this_year, last_year):
    kinds = sorted({kind for counter in (*this_year.values(), *last_year.values()) for kind in counter},
                   key=lambda k: list(KINDS_ZH).index(k) if k in KINDS_ZH else 99)
    return {"kinds": [KINDS_ZH.get(kind, kind) for kind in kinds],
            "rows": [{"month": f"{month}月", "counts": [this_year[month][kind] for kind in kinds],
                      "total": sum(this_year[month].values()), "previous_total": sum(last_year[month].values())}
                     for month in range(1, 13)]}


def _literacy_tables(figures):
    """The literacy survey's rates by industry, enterprise size, sex and age band (None when not surveyed)."""
    literacy = figures.get("literacy")
    if not literacy or not literacy.get("respondents"):
        return None
    tables = []
    for key, title in (("by_industry", "按行业"), ("by_size", "按企业规模"), ("by_sex", "按性别"),
                       ("by_age", "按年龄组")):
        rows = literacy.get(key) or []
        tables.append({"title": title, "rows": [
            {"label": row.get("label_zh") or row.get("label") or "—", "respondents": row.get("respondents", 0),
             "awareness": figure_text(row.get("awareness_pct"), "%"),
             "literacy": figure_text(row.get("literacy_pct"), "%")} for row in rows]})
    return tables


def summary_context(session, actor, *, year, today, now, region_id=None):
    """Everything the Word document and the PDF show for the year and the scope (a district, or the actor's whole
    jurisdiction)."""
    check_year(year, today)
    if region_id is not None:
        ensure_in_jurisdiction(actor, region_id, "区县")
    date_from, date_to = dt.date(year, 1, 1), dt.date(year, 12, 31)
    before_from, before_to = dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)
    figures = kpis(session, actor, date_from=date_from, date_to=date_to, today=today, region_id=region_id, yoy=True)
    previous = figures["previous"]
    regions = scope_regions(session, actor, region_id)
    scope = session.scalar(sa.select(Region.name).where(Region.id == (region_id or actor.region_id))) or ""
    catalogue = figures["catalogue"]
    running = year == today.year and today < date_to
    return {
        "title": f"{scope}{year}年度职业健康工作总结", "subtitle": "数据附件", "year": year, "previous_year": year - 1,
        "scope": scope, "agency_name": session.scalar(sa.select(Agency.name).where(Agency.id == actor.agency_id)) or "",
        "period_note": (f"统计期间：{year}年1月1日至{today.month}月{today.day}日（年度尚未结束）；上年：{year - 1}年全年。"
                        if running else f"统计期间：{year}年全年；上年：{year - 1}年全年。"),
        "period": {"from": date_from, "to": min(date_to, today)}, "previous_period": {"from": before_from,
                                                                                       "to": before_to},
        "catalogue": catalogue, "sections": sections(catalogue),
        "hazards": hazard_rows(session, figures, previous),
        "industries": _industry_rows(figures, previous),
        "campaigns": _campaign_rows(session, actor, regions, date_from, date_to, today),
        "literacy": _literacy_tables(figures),
        "monthly": _monthly_rows(monthly_work(session, actor, regions, date_from, date_to),
                                 monthly_work(session, actor, regions, before_from, before_to)),
        "not_collected": [f["title_zh"] for f in catalogue if f["status"] == "not_collected"],
        "counted": "计入统计的记录为已提交、重新提交和已审核通过的记录；草稿和退回待改的记录不计。"
                   "标注“按今日状态”的指标按生成之日判断。",
        "generated_at": now, "generated_by": actor.display_name or actor.username,
    }


def summary_file_name(context, extension):
    """<scope><year>年度职业健康工作总结_数据附件.<extension>."""
    return f"{context['title']}_数据附件.{extension}"
