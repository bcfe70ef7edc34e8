"""The enterprise registry 用人单位: search, read, create, update."""
import sqlalchemy as sa

from ..models import SIZES, ClassAssessment, Enterprise, Region
from ..models.sync_state import allocate_changes
from .credit_codes import credit_code_problem, normalise_credit_code
from .declarations import DATE_FIELDS as DECLARATION_DATES, check_declaration, refresh_due
from .errors import Invalid, NotFound, problem
from .hazard_names import hazard_lookup, resolve_hazards
from .permissions import check_enterprise_create, check_enterprise_read, check_enterprise_write
from .reference_store import table_data

SIZE_LABELS = {"large": "大", "medium": "中", "small": "小", "micro": "微"}
HAZARD_CLASSES = ("甲", "乙", "丙")
EDITABLE = ("name", "address", "region_id", "industry_code", "industry_name", "size", "legal_representative",
            "contact_name", "contact_phone", "latitude", "longitude", "workers_total", "workers_exposed",
            "hazard_class", "hazard_class_scheme", "hazard_class_assessed_on", "declared_hazards",
            "first_declared_on", "last_declared_on")


def _check_ranges(data):
    problems = []
    if "size" in data and data["size"] is not None and data["size"] not in SIZES:
        problems.append(problem("size", "choice", "企业规模应为 大/中/小/微", "Size must be large, medium, small or micro"))
    for field, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = data.get(field)
        if value is not None and not low <= value <= high:
            problems.append(problem(field, "range", f"应在 {low} 至 {high} 之间", f"Must be within {low}..{high}"))
    for field in ("workers_total", "workers_exposed"):
        if data.get(field) is not None and data[field] < 0:
            problems.append(problem(field, "min", "不能为负数", "Must not be negative"))
    if data.get("hazard_class") is not None:
        if data["hazard_class"] not in HAZARD_CLASSES:
            problems.append(problem("hazard_class", "choice", "分类应为 甲/乙/丙", "Class must be 甲, 乙 or 丙"))
        if not data.get("hazard_class_scheme"):
            # 甲 means high risk in one scheme and low risk in the other: a class without its scheme is ambiguous.
            problems.append(problem("hazard_class_scheme", "required", "填写分类等级时必须注明分类方案",
                                     "A class needs the scheme it was assessed under"))
    return problems


def check_enterprise_fields(session, data, *, existing_id=None):
    """Field-level problems of a (partial) enterprise record: credit code, region, ranges, uniqueness."""
    problems = _check_ranges(data)
    if "credit_code" in data:
        issue = credit_code_problem(data["credit_code"])
        if issue:
            problems.append(problem("credit_code", issue[0], issue[1], issue[2]))
        else:
            clash = session.scalar(sa.select(Enterprise.id).where(Enterprise.credit_code == data["credit_code"]))
            if clash and clash != existing_id:
                problems.append(problem("credit_code", "unique", "该统一社会信用代码已登记",
                                         "This credit code is already registered"))
    if "region_id" in data:
        level = session.scalar(sa.select(Region.level).where(Region.id == data["region_id"]))
        if level != "district":
            problems.append(problem("region_id", "not_district", "所属地区必须是区县", "Region must be a district"))
    scheme = data.get("hazard_class_scheme")
    if scheme and scheme not in {row["key"] for row in table_data(session, "classification_schemes")}:
        problems.append(problem("hazard_class_scheme", "choice", "未知的分类方案",
                                 "Unknown classification scheme (see reference table classification_schemes)"))
    if "name" in data and not (data["name"] or "").strip():
        problems.append(problem("name", "required", "单位名称不能为空", "Name is required"))
    return problems


CLASS_FIELDS = ("hazard_class", "hazard_class_scheme", "hazard_class_assessed_on")


def assessed_class_problems(session, enterprise, data):
    """An enterprise with 分类监督 assessments takes its class from the latest of them (domain/class_assessments.py):
    a class typed into the registry (an edit, an import, a device) would change it outside the history, so it is
    refused with the way to do it. A class typed before any assessment is the registry's and stays allowed."""
    if enterprise is None:
        return []
    changed = [f for f in CLASS_FIELDS if f in data and data[f] != getattr(enterprise, f)]
    if not changed or not session.scalar(sa.select(sa.func.count()).select_from(ClassAssessment)
                                         .where(ClassAssessment.enterprise_id == enterprise.id)):
        return []
    return [problem(field, "assessed", "该单位已有分类评定记录：分类等级请在“分类监督”页面重新评定（保留评定历史）",
                    "The enterprise has class assessments: assess it again on the classification screen")
            for field in changed]


def with_hazard_keys(session, data):
    """(data with declared hazards as hazard keys, problems): Chinese names, keys and CAS numbers are accepted;
    a name that is no hazard factor, or names several, is refused with the reason."""
    if data.get("declared_hazards") is None:
        return data, []
    keys, unknown = resolve_hazards(data["declared_hazards"], hazard_lookup(table_data(session, "hazard_factors")))
    return dict(data, declared_hazards=keys), [problem("declared_hazards", "unknown_hazard", zh, en)
                                               for _, zh, en in unknown]


def search_enterprises(session, actor, *, q=None, credit_code=None, region_id=None, industry_code=None,
                       page=1, per_page=20):
    """Enterprises in the actor's jurisdiction matching the filters: (items, total)."""
    query = sa.select(Enterprise).where(Enterprise.region_id.in_(actor.region_ids))
    if q:
        query = query.where(sa.or_(Enterprise.name.ilike(f"%{q}%"), Enterprise.credit_code == q.upper()))
    if credit_code:
        query = query.where(Enterprise.credit_code == normalise_credit_code(credit_code))
    if region_id:
        query = query.where(Enterprise.region_id == region_id)
    if industry_code:
        query = query.where(Enterprise.industry_code.startswith(industry_code))
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    items = session.scalars(query.order_by(Enterprise.name, Enterprise.id)
                            .offset((page - 1) * per_page).limit(per_page)).all()
    return items, total


def get_enterprise(session, actor, enterprise_id):
    """One enterprise, or NotFound when missing or outside the actor's jurisdiction."""
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound("用人单位不存在")
    check_enterprise_read(actor, enterprise)
    return enterprise


def _stamp(enterprise, fields, change_no):
    versions = dict(enterprise.field_versions or {})
    versions.update({f: change_no for f in fields})
    enterprise.field_versions = versions
    enterprise.change_no = change_no


def create_enterprise(session, actor, data, *, today=None):
    """Register an enterprise (admins and supervisors of the region). `today`: the business date declaration dates
    may not be after."""
    data = dict(data, credit_code=normalise_credit_code(data.get("credit_code")))
    check_enterprise_create(actor, data.get("region_id"))
    data, unknown = with_hazard_keys(session, data)
    problems = unknown + check_enterprise_fields(session, data) + check_declaration(None, data, today)
    if problems:
        raise Invalid("用人单位信息有误", details=problems)
    enterprise = Enterprise(credit_code=data["credit_code"], **{k: data[k] for k in EDITABLE if k in data})
    if enterprise.declared_hazards is None:
        enterprise.declared_hazards = []
    refresh_due(session, enterprise)
    session.add(enterprise)
    due = ["declaration_due_on"] if enterprise.declaration_due_on else []
    _stamp(enterprise, ["credit_code", *[k for k in EDITABLE if k in data], *due], allocate_changes(session))
    session.flush()
    return enterprise


def update_enterprise(session, actor, enterprise_id, data, *, today=None):
    """Change fields of an enterprise; field staff may change contact details only. `today`: the business date
    declaration dates may not be after."""
    enterprise = get_enterprise(session, actor, enterprise_id)
    if "credit_code" in data:
        data = dict(data, credit_code=normalise_credit_code(data["credit_code"]))
    check_enterprise_write(actor, enterprise.region_id, data.keys())
    if "region_id" in data:
        check_enterprise_create(actor, data["region_id"])
    data, unknown = with_hazard_keys(session, data)
    problems = unknown + check_enterprise_fields(session, data, existing_id=enterprise.id)
    problems += check_declaration(enterprise, data, today) + assessed_class_problems(session, enterprise, data)
    if problems:
        raise Invalid("用人单位信息有误", details=problems)
    changed = [k for k, v in data.items() if getattr(enterprise, k) != v]
    if not changed:
        return enterprise
    for key in changed:
        setattr(enterprise, key, data[key])
    if set(DECLARATION_DATES) & set(changed):
        refresh_due(session, enterprise)
        changed.append("declaration_due_on")
    _stamp(enterprise, changed, allocate_changes(session))
    session.flush()
    return enterprise

