"""The dashboard as a report to hand on: the period's figures beside the same period last year (去年同期), per district
and per team within its district, as the context of a printable PDF (documents/templates/kpi_report.html) and as an
XLSX workbook with Chinese headers. The figures are domain/kpis.py's; this module only lays them out."""
import datetime as dt
import io

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ..models import Agency, Region, Team
from .kpi_catalogue import change_text, figure_text
from .kpis import KINDS_ZH, kpis
from .reference_store import table_data

# The columns of the district and team tables (the same figures as the dashboard's tables).
BREAKDOWN = (
    ("sampling.visits", "采样次数", "count"),
    ("sampling.enterprises_monitored", "监测用人单位数", "count"),
    ("sampling.samples", "样品数", "count"),
    ("sampling.exceedance_pct", "超标率", "pct"),
    ("enforcement.inspections", "监督检查次数", "count"),
    ("enforcement.coverage_pct", "监督覆盖率", "pct"),
    ("enforcement.rectification.overdue", "整改逾期项", "count"),
    ("followup.followups", "随访次数", "count"),
)
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
STATES_ZH = {"submitted": "已提交", "resubmitted": "重新提交", "approved": "已审核通过"}


def _get(figures, path):
    value = figures
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


UNITS = {"count": "", "pct": "%", "days": "天"}


def _text(value, kind):
    return "—" if value is None else figure_text(value, UNITS[kind])


def _change(value, previous, kind):
    return change_text(value, previous, UNITS[kind])


def _month_end(day):
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def period_title(date_from, date_to):
    """The period as a report names it: 2026年11月, 2026年第三季度, 2026年, with the days covered when it is not
    whole (1日至20日), or the two dates."""
    same_year = date_from.year == date_to.year
    if same_year and date_from.day == 1 and date_from.month == date_to.month:
        whole = date_to == _month_end(date_to)
        return f"{date_from.year}年{date_from.month}月" + ("" if whole else f"（1日至{date_to.day}日）")
    quarter = (date_from.month - 1) // 3
    if same_year and date_from.day == 1 and date_from.month == quarter * 3 + 1 and (date_to.month - 1) // 3 == quarter:
        whole = date_to.month == quarter * 3 + 3 and date_to == _month_end(date_to)
        return f"{date_from.year}年{QUARTERS[quarter]}" + ("" if whole else f"（截至{date_to.month}月{date_to.day}日）")
    if same_year and (date_from.month, date_from.day) == (1, 1):
        whole = (date_to.month, date_to.day) == (12, 31)
        return f"{date_from.year}年" + ("" if whole else f"（截至{date_to.month}月{date_to.day}日）")
    return f"{_day_zh(date_from)}至{_day_zh(date_to)}"


def _day_zh(day):
    return f"{day.year}年{day.month}月{day.day}日"


def _cells(figures, previous, columns):
    """Per column: this period's value, last year's, as values and as text."""
    cells = []
    for path, _label, kind in columns:
        value = _get(figures, path)
        before = _get(previous, path) if previous is not None else (0 if kind == "count" else None)
        cells.append({"value": value, "previous": before, "text": _text(value, kind),
                      "previous_text": _text(before, kind), "change": _change(value, before, kind)})
    return cells


def report_context(session, actor, *, date_from, date_to, today, now, region_id=None, team_id=None):
    """Everything the PDF and the workbook show: the period and its scope, the figures with last year's beside them,
    the districts, the teams grouped by district and the exceedance by hazard."""
    figures = kpis(session, actor, date_from=date_from, date_to=date_to, today=today, region_id=region_id,
                   team_id=team_id, yoy=True)
    previous = figures["previous"]
    before = {"from": dt.date.fromisoformat(previous["period"]["from"]),
              "to": dt.date.fromisoformat(previous["period"]["to"])}
    regions = dict(session.execute(sa.select(Region.id, Region.name)).all())
    scope = [regions.get(region_id or actor.region_id)]
    if team_id:
        scope.append(session.scalar(sa.select(Team.name).where(Team.id == team_id)))
    last_districts = {d["region_id"]: d for d in previous["districts"]}
    last_teams = {(t["region_id"], t["team_id"]): t for t in previous["teams"]}
    columns = [{"label": label, "kind": kind} for _path, label, kind in BREAKDOWN]
    teams = []
    for team in figures["teams"]:
        if not teams or teams[-1]["district"] != team["district"]:
            teams.append({"district": team["district"] or "—", "rows": []})
        teams[-1]["rows"].append({"name": team["name"], "cells": _cells(
            team, last_teams.get((team["region_id"], team["team_id"])), BREAKDOWN)})
    return {
        "title": "职业健康工作统计指标", "agency_name": session.scalar(sa.select(Agency.name).where(
            Agency.id == actor.agency_id)) or "", "scope": " · ".join(s for s in scope if s),
        "period_title": period_title(date_from, date_to), "period": {"from": date_from, "to": date_to},
        "previous_title": period_title(before["from"], before["to"]), "previous_period": before,
        "generated_at": now, "generated_by": actor.display_name or actor.username,
        # Every figure of the catalogue the agency reports (domain/kpi_catalogue.py), then the registers' tiles.
        "figures": [_catalogue_row(f) for f in figures["catalogue"]] + _ledger_figures(figures, previous),
        "columns": columns,
        "districts": [{"name": d["name"], "cells": _cells(d, last_districts.get(d["region_id"]), BREAKDOWN)}
                      for d in figures["districts"]],
        "team_groups": teams,
        "hazards": hazard_rows(session, figures, previous),
        "counted": "计入统计的记录：" + "、".join(STATES_ZH[s] for s in figures["counted"]["states"]) + "；草稿不计。"
                   + _returned(figures["counted"]["returned"]),
    }


KIND_OF_UNIT = {"%": "pct", "天": "days"}


def _catalogue_row(figure):
    """A catalogue figure as a row of the report: its name (with its target), this period, last year, the change,
    and what it is when it is not a number (未采集)."""
    label = figure["title_zh"]
    if figure["target_pct"] is not None:
        label += f"（目标≥{figure['target_pct']:g}%）"
    return {"label": label, "kind": KIND_OF_UNIT.get(figure["unit"], "count"), "section": figure["section_zh"],
            "value": figure["value"], "previous": figure["previous"], "text": figure["text"],
            "previous_text": figure["previous_text"], "change": figure["change"], "note": figure["status_zh"]}


def _ledger_figures(figures, previous):
    """The registers' tiles (domain/ledgers.py) not in the catalogue, as rows of the report, each named by its
    register, with last year's beside it."""
    shown = {f["formula"]["value"] for f in figures["catalogue"] if f["formula"] and "value" in f["formula"]}
    before = {(group["kind"], tile["key"]): tile for group in previous.get("ledgers") or [] for tile in group["tiles"]}
    rows = []
    for group in figures.get("ledgers") or []:
        for tile in group["tiles"]:
            if f"ledgers.{group['kind']}.{tile['key']}" in shown:
                continue
            kind = "pct" if tile["unit"] == "pct" else "count"
            last = before.get((group["kind"], tile["key"]), {}).get("value")
            label = f"{group['title_zh']}：{tile['label_zh']}"
            if tile.get("target_pct") is not None:
                label += f"（目标≥{tile['target_pct']:g}%）"
            rows.append({"label": label, "kind": kind, "section": "台账明细", "value": tile["value"], "previous": last,
                         "text": _text(tile["value"], kind), "previous_text": _text(last, kind),
                         "change": _change(tile["value"], last, kind), "note": ""})
    return rows


def _returned(returned):
    waiting = [f"{KINDS_ZH.get(kind, kind)} {n} 条" for kind, n in returned.items() if n]
    return f"退回待改的另列，未计入：{'、'.join(waiting)}。" if waiting else ""


def hazard_rows(session, figures, previous):
    """Exceedance by hazard, named in Chinese, with last year's rate beside it."""
    names = {row["key"]: row.get("name_zh") or row["key"] for row in table_data(session, "oel_limits")}
    names["noise"] = "噪声"
    before = {row["key"]: row for row in previous["sampling"]["by_hazard"]}
    return [{"label": names.get(row["key"], row["key"]), "evaluated": row["evaluated"], "nonconform": row["nonconform"],
             "pct": row["exceedance_pct"], "pct_text": _text(row["exceedance_pct"], "pct"),
             "previous_pct": (before.get(row["key"]) or {}).get("exceedance_pct"),
             "previous_text": _text((before.get(row["key"]) or {}).get("exceedance_pct"), "pct")}
            for row in figures["sampling"]["by_hazard"]]


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


def _sheet(book, title, headers, rows, widths):
    sheet = book.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a name typed as =… stays text, never a formula
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    sheet.freeze_panes = "B2"
    return sheet


def _pair_headers(context):
    return [f"{c['label']}{'（%）' if c['kind'] == 'pct' else ''}（{which}）" for c in context["columns"]
            for which in ("本期", "去年同期")]


def report_workbook(context):
    """The report as an XLSX workbook: 总体指标, 按区县, 按小组 (with 区县), 按危害因素 and 说明; numbers stay numbers."""
    book = Workbook()
    book.remove(book.active)
    pct = {"pct": "（%）", "days": "（天）"}
    _sheet(book, "总体指标", ["指标", f"本期（{context['period_title']}）", f"去年同期（{context['previous_title']}）", "增减",
                           "工作", "说明"],
           [[f["label"] + pct.get(f["kind"], ""), f["value"], f["previous"], f["change"], f["section"], f["note"]]
            for f in context["figures"]], [40, 26, 26, 22, 22, 10])
    pairs = _pair_headers(context)
    _sheet(book, "按区县", ["区县", *pairs],
           [[d["name"], *[v for c in d["cells"] for v in (c["value"], c["previous"])]] for d in context["districts"]],
           [14] + [13] * len(pairs))
    _sheet(book, "按小组", ["区县", "小组", *pairs],
           [[group["district"], row["name"], *[v for c in row["cells"] for v in (c["value"], c["previous"])]]
            for group in context["team_groups"] for row in group["rows"]], [14, 14] + [13] * len(pairs))
    _sheet(book, "按危害因素", ["危害因素", "评价岗位数", "超标岗位数", "超标率（%）（本期）", "超标率（%）（去年同期）"],
           [[h["label"], h["evaluated"], h["nonconform"], h["pct"], h["previous_pct"]] for h in context["hazards"]],
           [20, 12, 12, 18, 20])
    notes = [["统计期间", f"{context['period_title']}：{context['period']['from']} 至 {context['period']['to']}"],
             ["去年同期", f"{context['previous_title']}：{context['previous_period']['from']} 至 "
                          f"{context['previous_period']['to']}"],
             ["范围", context["scope"]], ["统计口径", context["counted"]],
             ["整改状态", "整改逾期、已销号按生成之日判断（含去年同期的整改事项）"],
             ["生成", f"{context['agency_name']} {context['generated_by']} "
                      f"{context['generated_at'].strftime('%Y-%m-%d %H:%M')}"]]
    _sheet(book, "说明", ["项目", "内容"], notes, [14, 90])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_file_name(context, extension):
    """统计指标_<scope>_<period>.<extension> (the period's title without brackets)."""
    period = context["period_title"].replace("（", "_").replace("）", "")
    scope = context["scope"].replace(" · ", "_")
    return f"统计指标_{scope}_{period}.{extension}"
