"""What the office does to a 专项治理 campaign (domain/campaigns.py): enrol enterprises from the registry, by the
campaign's industry codes, one by one, or from a sheet listing them by credit code (previewed row by row first), and
confirm an enterprise's treatment (行政治理效果确认) once the evidence
is complete. Written as records (office_writes.py), so the inspectors' tablets get them at their next pull, each in
the audit trail."""
import hashlib
import json

import sqlalchemy as sa

from ..domain import audit
from ..domain.campaigns import (ENROLLED, FORM_ID, STATE_NAMES, campaign_of, campaign_views, code_prefixes,
                                industry_matches)
from ..domain.errors import Conflict, Forbidden, Invalid, invalid, problem
from ..domain.credit_codes import normalise_credit_code
from ..domain.permissions import own_entities, require
from ..domain.registry_files import cell_text, sheet_rows
from ..models import Enterprise, Record
from ..models.transactions import begin_write, for_update
from .office_writes import create_record, finish, office_batch, update_record

MAX_PICKED = 2000


def _require_manager(actor):
    require(actor, "campaign.manage")
    kinds = own_entities(actor)
    if kinds is not None and ENROLLED not in kinds:  # a CDC's supervisor runs no campaign
        raise Forbidden("专项治理由卫生健康监督机构管理", code="AGENCY_KIND", details=[
            problem(None, "agency_kind", "专项治理由卫生健康监督机构管理", "Campaigns are the supervision agency's")])


def _locked_campaign(session, actor, campaign_id):
    record = campaign_of(session, actor, campaign_id)
    return session.scalars(for_update(sa.select(Record).where(Record.id == record.id), session)).one()


def enrol(session, actor, forms, clock, campaign_id, *, by_industry=False, enterprise_ids=()):
    """Enrol the registry's enterprises of the campaign's district whose industry code starts with one of the
    campaign's prefixes (`by_industry`), or these enterprises; those already enrolled are left as they are.
    Returns {"enrolled": [names], "already": n}."""
    _require_manager(actor)
    begin_write(session)
    campaign = _locked_campaign(session, actor, campaign_id)
    query = sa.select(Enterprise.id, Enterprise.name, Enterprise.industry_code).where(
        Enterprise.region_id == campaign.region_id)
    if by_industry:
        prefixes = code_prefixes((campaign.data or {}).get("industry_codes"))
        if not prefixes:
            raise invalid("该专项治理未填写行业代码范围", "industry_codes", "required",
                          "请先在专项治理中填写行业代码范围（例如 C23），或逐家纳入", "The campaign has no industry codes")
        chosen = [row for row in session.execute(query) if industry_matches(row.industry_code, prefixes)]
    else:
        wanted = list(dict.fromkeys(enterprise_ids))
        if not wanted:
            raise invalid("请选择要纳入的用人单位", "enterprise_ids", "required", "请选择要纳入的用人单位",
                          "Choose the enterprises to enrol")
        if len(wanted) > MAX_PICKED:
            raise invalid(f"一次最多纳入 {MAX_PICKED} 家", "enterprise_ids", "too_many", f"一次最多纳入 {MAX_PICKED} 家",
                          f"At most {MAX_PICKED} at a time")
        found = {row.id: row for row in session.execute(query.where(Enterprise.id.in_(wanted)))}
        missing = [i for i in wanted if i not in found]
        if missing:
            raise Invalid("有用人单位不在本专项治理的辖区内", details=[
                problem("enterprise_ids", "not_found", "用人单位不存在或不在本专项治理的辖区内",
                        "No such enterprise in the campaign's district", index=wanted.index(i)) for i in missing])
        chosen = [found[i] for i in wanted]
    enrolled = {(row.data or {}).get("enterprise_id") for row in session.scalars(sa.select(Record).where(
        Record.entity == ENROLLED, Record.parent_id == campaign.id, Record.deleted.is_(False)))}
    new = [row for row in chosen if row.id not in enrolled]
    batch = office_batch(session, actor, forms, clock)
    version = forms.versions(FORM_ID)[-1]
    today = clock.today().isoformat()
    with session.no_autoflush:
        for row in new:
            create_record(batch, entity=ENROLLED, form_id=FORM_ID, version=version, parent=campaign, op="enrol",
                          data={"enterprise_id": row.id, "enrolled_on": today,
                                "enrolment": "registry_industry" if by_industry else "picked"})
        finish(batch)
    audit.record(session, actor, "campaign.enrol", campaign.id, by_industry=by_industry,
                 enterprises=[row.id for row in new], already=len(chosen) - len(new))
    return {"enrolled": [row.name for row in new], "already": len(chosen) - len(new)}


def confirm(session, actor, forms, clock, campaign_id, enrolment_id):
    """行政治理效果确认: the enterprise's treatment confirmed today by this supervisor; refused (409, with its state in
    words) unless the evidence is complete (inspected, every rectification item closed, the latest result under the
    limits)."""
    _require_manager(actor)
    begin_write(session)
    campaign = _locked_campaign(session, actor, campaign_id)
    today = clock.today()
    view = campaign_views(session, {campaign.region_id}, today, campaigns=[campaign])[0]
    found = next(((e, s) for e, _ev, s in view.enrolled if e.id == enrolment_id), None)
    if found is None:
        raise invalid("该用人单位未纳入本专项治理", "enrolment_id", "not_found", "该用人单位未纳入本专项治理",
                      "Not enrolled in this campaign")
    enrolment, state = found
    if state != "awaiting_confirmation":
        reason = "已确认完成" if state == "completed" else f"当前为“{STATE_NAMES[state]}”，需监督检查、整改全部销号且最近一次检测未超标后才能确认"
        raise Conflict(f"尚不能确认治理效果：{reason}", code="NOT_READY", details=[
            problem("state", state, reason, "The evidence is not complete")])
    batch = office_batch(session, actor, forms, clock)
    with session.no_autoflush:
        update_record(batch, enrolment, {"confirmed_on": today.isoformat(),
                                         "confirmed_by_name": actor.display_name or actor.username}, op="confirm")
        finish(batch)
    audit.record(session, actor, "campaign.confirm", enrolment.id, campaign=campaign.id,
                 enterprise=(enrolment.data or {}).get("enterprise_id"))
    return enrolment.id


# -- a list of enterprises to enrol, from a sheet --------------------------------------------------------------------

CODE_HEADERS = ("统一社会信用代码", "信用代码", "社会信用代码", "credit_code")
NAME_HEADERS = ("单位名称", "用人单位名称", "企业名称", "用人单位", "name")


def _list_plan(session, actor, campaign, filename, content, max_rows):
    """Each row of the sheet: the enterprise of that credit code in the campaign's district, to enrol or already
    enrolled; every row that cannot be read or found is a problem with its row and column."""
    table = sheet_rows(filename, content)
    if not table:
        raise invalid("文件为空", "file", "empty", "文件为空", "The file is empty")
    headers = [str(cell or "").strip() for cell in table[0]]
    code_at = next((headers.index(h) for h in CODE_HEADERS if h in headers), None)
    name_at = next((headers.index(h) for h in NAME_HEADERS if h in headers), None)
    if code_at is None:
        raise Invalid("缺少必需的列", details=[problem("credit_code", "missing_column", "缺少列：统一社会信用代码",
                                                 "Missing column: credit code", column="统一社会信用代码")])
    rows = [(number, values) for number, values in enumerate(table[1:], start=2)
            if any(v is not None and str(v).strip() for v in values)]
    if len(rows) > max_rows:
        raise invalid(f"一次最多导入 {max_rows} 行", "file", "too_many_rows", f"文件有 {len(rows)} 行，一次最多 {max_rows} 行",
                      f"At most {max_rows} rows at a time")
    codes = {number: normalise_credit_code(cell_text(values[code_at]) if code_at < len(values) else None)
             for number, values in rows}
    found = {row.credit_code: row for row in session.execute(
        sa.select(Enterprise.id, Enterprise.name, Enterprise.credit_code).where(
            Enterprise.region_id == campaign.region_id, Enterprise.credit_code.in_(sorted(c for c in codes.values()
                                                                                        if c))))}
    enrolled = {(row.data or {}).get("enterprise_id") for row in session.scalars(sa.select(Record).where(
        Record.entity == ENROLLED, Record.parent_id == campaign.id, Record.deleted.is_(False)))}
    problems, plan, seen = [], [], set()
    for number, values in rows:
        code = codes[number]
        typed_name = cell_text(values[name_at]) if name_at is not None and name_at < len(values) else None
        where = {"row": number, "column": "统一社会信用代码"}
        if not code:
            problems.append(problem("credit_code", "required", f"第 {number} 行：统一社会信用代码为空", "Blank", **where))
        elif code in seen:
            problems.append(problem("credit_code", "duplicate", f"第 {number} 行：{code} 在文件中重复", "Duplicate",
                                    **where))
        elif code not in found:
            problems.append(problem("credit_code", "not_found", f"第 {number} 行：{code}（{typed_name or '未填单位名称'}）"
                                    "不在本辖区的用人单位登记库中，请先登记", "Not in the district's registry", **where))
        else:
            enterprise = found[code]
            plan.append({"row": number, "key": code, "name": enterprise.name, "enterprise_id": enterprise.id,
                         "status": "unchanged" if enterprise.id in enrolled else "new", "changes": [],
                         "file_id": None})
        seen.add(code)
    if problems:
        raise Invalid(f"{len({p['row'] for p in problems})}行有错误，未纳入任何用人单位", details=problems)
    digest = hashlib.sha256(content)
    digest.update(json.dumps([[p["row"], p["enterprise_id"], p["status"]] for p in plan]).encode())
    return plan, digest.hexdigest()


def _list_view(plan, digest=None):
    counts = {"new": sum(p["status"] == "new" for p in plan), "update": 0,
              "unchanged": sum(p["status"] == "unchanged" for p in plan)}
    rows = [{k: p[k] for k in ("row", "key", "name", "status", "changes", "file_id")} for p in plan]
    return {**({"digest": digest} if digest else {}), "counts": counts, "rows": rows}


def preview_list(session, actor, campaign_id, filename, content, *, max_rows=20000):
    """What enrolling the sheet's enterprises would do, row by row (纳入 / 已纳入), with the digest; writes nothing."""
    _require_manager(actor)
    campaign = campaign_of(session, actor, campaign_id)
    plan, digest = _list_plan(session, actor, campaign, filename, content, max_rows)
    return _list_view(plan, digest)


def enrol_list(session, actor, forms, clock, campaign_id, filename, content, digest, *, max_rows=20000):
    """Enrol the previewed sheet's enterprises; 409 when the sheet or the campaign changed since the preview."""
    _require_manager(actor)
    if not digest:
        raise invalid("请先预览，确认后再导入", "digest", "required", "请先预览，确认后再导入",
                      "Preview the file first and confirm its digest")
    begin_write(session)
    campaign = _locked_campaign(session, actor, campaign_id)
    plan, current = _list_plan(session, actor, campaign, filename, content, max_rows)
    if digest != current:
        raise Conflict("预览之后文件或专项治理已有变化，未纳入任何用人单位，请重新预览", code="PREVIEW_OUTDATED", details=[
            problem("digest", "outdated", "预览之后文件或专项治理已有变化，请重新预览并确认",
                    "The file or the campaign changed after the preview; preview again")])
    batch = office_batch(session, actor, forms, clock)
    version = forms.versions(FORM_ID)[-1]
    with session.no_autoflush:
        for row in plan:
            if row["status"] == "new":
                row["file_id"] = create_record(batch, entity=ENROLLED, form_id=FORM_ID, version=version,
                                               parent=campaign, op="enrol",
                                               data={"enterprise_id": row["enterprise_id"],
                                                     "enrolled_on": clock.today().isoformat(), "enrolment": "list"})
        finish(batch)
    audit.record(session, actor, "campaign.enrol", campaign.id, by_list=filename,
                 enterprises=[row["enterprise_id"] for row in plan if row["status"] == "new"],
                 already=sum(row["status"] == "unchanged" for row in plan))
    return _list_view(plan)
