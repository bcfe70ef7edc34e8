"""Import class assessments from XLSX or CSV in two steps, on the registry import's machinery (registry_files,
the digest of enterprise_imports): the preview grades every row and answers, per row, the class it gives and what it
changes (the enterprise's class from what to what, the next reassessment), or every problem with its row and
column; nothing is written. The import applies the same file once the person confirmed what the preview showed: a
file edited in between, or a class changed meanwhile, is refused rather than applied unseen. One bad row means
nothing is written."""
import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa

from ..models import ClassAssessment, Enterprise
from . import audit
from .checklists import format_date_zh
from .class_assessments import assessable_schemes, check_assessed_on, grade, record_assessment
from .classification import PILOT_2023
from .credit_codes import credit_code_problem, normalise_credit_code
from .errors import Conflict, Invalid, invalid, problem
from .permissions import require, require_supervision_agency
from .registry_files import RegistryFile, cell_date, cell_text

HEADERS = {
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "name": ("单位名称", "用人单位名称", "企业名称", "name"),
    "scheme": ("分类方案", "scheme"),
    "hazard_nature": ("危害性质", "职业病危害性质", "hazard_nature"),
    "exposure_conformity": ("接触水平", "接触水平符合情况", "exposure_conformity"),
    "exposed_headcount": ("接害人数", "接触职业病危害人数", "exposed_headcount"),
    "management_score": ("管理状况得分", "管理得分", "management_score"),
    "assessed_on": ("评定日期", "分类日期", "assessed_on"),
    "note": ("备注", "note"),
}
REQUIRED = ("credit_code", "hazard_nature", "exposure_conformity", "exposed_headcount", "management_score",
            "assessed_on")
NATURES = {"一般": "general", "一般职业病危害因素": "general", "general": "general",
           "严重": "severe", "严重职业病危害因素": "severe", "severe": "severe"}
CONFORMITY = {"符合": "conform", "conform": "conform", "不符合": "nonconform", "nonconform": "nonconform"}
STATUS_WORDS = {"new": "首次评定", "update": "分类更新", "history": "早于现有评定，仅记入历史", "unchanged": "已有相同评定"}


@dataclass
class RowPlan:
    """What one row of the file does."""

    number: int
    enterprise: Enterprise
    graded: dict
    status: str  # new | update | history | unchanged


def _cell(field, raw, schemes):
    text = cell_text(raw)
    if field == "credit_code":
        return normalise_credit_code(text)
    if field == "scheme":
        if text not in schemes:
            raise ValueError("分类方案应为“职业卫生分类监督执法试点”（有判定矩阵的方案）")
        return schemes[text]
    if field == "hazard_nature":
        if text not in NATURES:
            raise ValueError("危害性质应为“一般”或“严重”")
        return NATURES[text]
    if field == "exposure_conformity":
        if text not in CONFORMITY:
            raise ValueError("接触水平应为“符合”或“不符合”")
        return CONFORMITY[text]
    if field == "exposed_headcount":
        if not text.isdigit():
            raise ValueError("接害人数应为非负整数")
        return int(text)
    if field == "management_score":
        try:
            score = float(text)
        except ValueError:
            raise ValueError("管理状况得分应为 0 至 100 的数字") from None
        if not 0 <= score <= 100:
            raise ValueError("管理状况得分应在 0 至 100 之间")
        return int(score) if score.is_integer() else score
    if field == "assessed_on":
        return cell_date(raw, text)
    return text


def _parse(values, schemes):
    data, problems = {}, []
    for field, raw in values.items():
        if cell_text(raw) is None:
            continue
        try:
            data[field] = _cell(field, raw, schemes)
        except ValueError as error:
            problems.append(problem(field, "format", str(error), "Invalid value"))
    for field in REQUIRED:
        if field not in data and not any(p["field"] == field for p in problems):
            problems.append(problem(field, "required", "必填", "Required"))
    if data.get("credit_code"):
        issue = credit_code_problem(data["credit_code"])
        if issue:
            problems.append(problem("credit_code", *issue))
    return data, problems


def _status(session, enterprise, graded):
    newest = session.scalar(sa.select(ClassAssessment).where(ClassAssessment.enterprise_id == enterprise.id)
                            .order_by(ClassAssessment.assessed_on.desc(), ClassAssessment.created_at.desc()).limit(1))
    same = session.scalar(sa.select(sa.func.count()).where(
        ClassAssessment.enterprise_id == enterprise.id, ClassAssessment.assessed_on == graded["assessed_on"],
        ClassAssessment.scheme == graded["scheme"], ClassAssessment.label == graded["label"]))
    if same:
        return "unchanged"
    current_on = newest.assessed_on if newest else enterprise.hazard_class_assessed_on
    if enterprise.hazard_class is None and newest is None:
        return "new"
    return "history" if current_on and graded["assessed_on"] < current_on else "update"


def _plan(session, actor, filename, content, max_rows, today, lock=False):
    require(actor, "class.assess")
    require_supervision_agency(actor, "分类等级")
    file = RegistryFile(filename, content, HEADERS, REQUIRED)
    schemes = {alias: row["key"] for row in assessable_schemes(session)
               for alias in (row["key"], row.get("title_zh"), "2023试点", "试点方案")}
    parsed, seen = [], {}
    for number, values in file.rows():
        if len(parsed) >= max_rows:
            raise invalid(f"一次最多导入{max_rows}行", "file", "too_many_rows", f"一次最多导入{max_rows}行",
                          f"At most {max_rows} rows per import")
        data, found = _parse(values, schemes)
        key = (data.get("credit_code"), data.get("assessed_on"))
        if data.get("credit_code") and key in seen:
            found.append(problem("credit_code", "duplicate_in_file", f"与第{seen[key]}行重复（同一单位同一评定日期）",
                                 f"Same enterprise and date as row {seen[key]}"))
        seen.setdefault(key, number)
        parsed.append((number, data, found))
    codes = sorted({data["credit_code"] for _, data, _ in parsed if data.get("credit_code")})
    query = sa.select(Enterprise).where(Enterprise.credit_code.in_(codes))
    existing = {e.credit_code: e for e in session.scalars(query.with_for_update() if lock else query)}
    plans, problems = [], []
    for number, data, found in parsed:
        enterprise = existing.get(data.get("credit_code"))
        if data.get("credit_code") and not found and (enterprise is None or not actor.covers_region(enterprise.region_id)):
            found.append(problem("credit_code", "not_in_registry", "本辖区名录中没有该统一社会信用代码的用人单位，请先导入名录",
                                 "No enterprise of your districts has this code"))
            enterprise = None
        if enterprise is not None and data.get("name") and data["name"] != enterprise.name:
            found.append(problem("name", "name_mismatch", f"单位名称与名录不符（名录：{enterprise.name}），请核对信用代码",
                                 "The name differs from the registry's"))
        graded = None
        if enterprise is not None and not found:
            try:
                day = check_assessed_on(data["assessed_on"], today)
                graded = grade(session, data.get("scheme") or PILOT_2023, data, day)
            except Invalid as error:
                found += error.details
        problems += [dict(p, row=number, column=file.column(p["field"]) if p.get("field") else None) for p in found]
        if graded is not None:
            graded["note"] = data.get("note")
            plans.append(RowPlan(number, enterprise, graded, _status(session, enterprise, graded)))
    if problems:
        raise Invalid(f"{len({p['row'] for p in problems})}行有错误，未导入任何数据", details=problems)
    return plans, _digest(content, plans)


def _digest(content, plans):
    """SHA-256 over the file and what it would do: confirming it confirms exactly the preview that was shown."""
    planned = [[p.number, p.enterprise.id, p.status, p.graded["label"], p.enterprise.hazard_class,
                str(p.enterprise.hazard_class_assessed_on)] for p in plans]
    digest = hashlib.sha256(content)
    digest.update(json.dumps(planned, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _date(day):
    return format_date_zh(day) if day else None


def _changes(plan):
    """What the row changes, in words: the class (with its scheme's meaning) and the dates."""
    e, g = plan.enterprise, plan.graded
    if plan.status not in ("new", "update"):
        return []
    changes = []
    if e.hazard_class != g["label"] or e.hazard_class_scheme != g["scheme"]:
        changes.append({"field": "hazard_class", "label": "分类等级", "old": f"{e.hazard_class}类" if e.hazard_class else None,
                        "new": f"{g['label']}类（{g['meaning_zh']}）"})
    if e.hazard_class_assessed_on != g["assessed_on"]:
        changes.append({"field": "assessed_on", "label": "评定日期", "old": _date(e.hazard_class_assessed_on),
                        "new": _date(g["assessed_on"])})
    changes.append({"field": "next_due", "label": "下次评定", "old": None, "new": _date(g["next_due"]) or "情况变化时"})
    return changes


def _view(plans):
    counts = {status: sum(p.status == status for p in plans) for status in STATUS_WORDS}
    rows = [{"row": p.number, "credit_code": p.enterprise.credit_code, "name": p.enterprise.name,
             "enterprise_id": p.enterprise.id, "status": p.status, "status_zh": STATUS_WORDS[p.status],
             "label": p.graded["label"], "risk_grade": p.graded["risk_grade"],
             "management_grade": p.graded["management_grade"], "assessed_on": p.graded["assessed_on"],
             "next_due": p.graded["next_due"], "changes": _changes(p)} for p in plans]
    return {"counts": counts, "rows": rows}


def preview_class_import(session, actor, filename, content, *, today, max_rows=20000):
    """What importing the file would do, row by row, with the digest that confirms it; writes nothing."""
    plans, digest = _plan(session, actor, filename, content, max_rows, today)
    return {"digest": digest, **_view(plans)}


def import_classes(session, actor, filename, content, digest, *, clock, max_rows=20000):
    """Apply a previewed file: Conflict when the file or a class changed since the preview (nothing is written),
    Invalid when a row is bad; else the rows as applied, each an assessment in the history, audited."""
    if not digest:
        raise invalid("请先预览，确认后再导入", "digest", "required", "请先预览，确认后再导入",
                      "Preview the file first and confirm its digest")
    plans, current = _plan(session, actor, filename, content, max_rows, clock.today(), lock=True)
    if digest != current:
        raise Conflict("预览之后文件或分类已有变化，未导入任何数据，请重新预览", code="PREVIEW_OUTDATED", details=[
            problem("digest", "outdated", "预览之后文件或分类已有变化，请重新预览并确认",
                    "The file or a class changed after the preview; preview again")])
    report = _view(plans)
    for plan in plans:
        if plan.status != "unchanged":
            record_assessment(session, actor, plan.enterprise, plan.graded, source="import",
                              note=plan.graded.get("note"), now=clock.now())
    audit.record(session, actor, "class.import", filename, **report["counts"])
    return report
