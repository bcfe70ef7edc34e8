"""Import the registry from XLSX or CSV: every row is checked first; one bad row means nothing is written."""
import csv
import datetime as dt
import io
import re

import sqlalchemy as sa
from openpyxl import load_workbook

from ..models import Enterprise, Region
from ..models.sync_state import allocate_changes
from .credit_codes import normalise_credit_code
from .enterprises import EDITABLE, check_enterprise_fields
from . import audit
from .errors import Invalid, invalid, problem
from .permissions import require

# Column headers as the national system and district spreadsheets write them, plus the API's own names.
HEADERS = {
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "name": ("单位名称", "用人单位名称", "企业名称", "name"),
    "address": ("地址", "单位地址", "注册地址", "address"),
    "region": ("所属区县", "区县", "所属地区", "region"),
    "industry_code": ("行业代码", "行业分类代码", "industry_code"),
    "industry_name": ("行业名称", "行业", "所属行业", "industry_name"),
    "size": ("企业规模", "规模", "size"),
    "legal_representative": ("法定代表人", "负责人", "legal_representative"),
    "contact_name": ("联系人", "contact_name"),
    "contact_phone": ("联系电话", "电话", "contact_phone"),
    "latitude": ("纬度", "latitude"),
    "longitude": ("经度", "longitude"),
    "workers_total": ("劳动者总数", "职工总数", "workers_total"),
    "workers_exposed": ("接害人数", "接触职业病危害人数", "workers_exposed"),
    "hazard_class": ("分类等级", "hazard_class"),
    "hazard_class_scheme": ("分类方案", "hazard_class_scheme"),
    "hazard_class_assessed_on": ("分类日期", "hazard_class_assessed_on"),
    "declared_hazards": ("申报危害因素", "职业病危害因素", "declared_hazards"),
}
SIZE_WORDS = {"大": "large", "大型": "large", "中": "medium", "中型": "medium", "小": "small", "小型": "small",
              "微": "micro", "微型": "micro"}
REQUIRED = ("credit_code", "name", "region")


def _header_map(header_row):
    lookup = {alias: field for field, aliases in HEADERS.items() for alias in aliases}
    mapping = {}
    for index, title in enumerate(header_row):
        field = lookup.get(str(title or "").strip())
        if field:
            mapping[index] = field
    return mapping


def _xlsx_rows(content):
    """The first sheet's rows; Invalid for a file that is not a readable workbook (corrupt, not a zip, or XML
    with entity declarations, which defusedxml refuses: no billion laughs, no external entities)."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        return list(sheet.iter_rows(values_only=True))
    except Exception as error:  # openpyxl raises many kinds for a bad file; each is the same mistake to the user
        raise invalid("无法读取该 Excel 文件", "file", "unreadable", "文件已损坏或不是有效的 Excel 工作簿（.xlsx）",
                      f"Not a readable .xlsx workbook ({error.__class__.__name__})") from None


def read_rows(filename, content):
    """Rows of the uploaded file as (row number, {field: text}) using the first row as headers."""
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif filename.lower().endswith(".csv"):
        # Excel in China saves CSV as GBK; UTF-8 (with or without BOM) is tried first.
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise Invalid("无法识别文件编码", details=[{"field": "file", "code": "encoding",
                                                "message": "请使用 UTF-8 或 GBK 编码的 CSV",
                                                "message_en": "Use a UTF-8 or GBK encoded CSV"}])
        rows = list(csv.reader(io.StringIO(text)))
    else:
        raise Invalid("仅支持 .xlsx 和 .csv 文件", details=[{"field": "file", "code": "type",
                                                     "message": "仅支持 .xlsx 和 .csv 文件",
                                                     "message_en": "Only .xlsx and .csv files are accepted"}])
    if not rows:
        raise Invalid("文件为空", details=[{"field": "file", "code": "empty", "message": "文件为空",
                                         "message_en": "The file is empty"}])
    mapping = _header_map(rows[0])
    missing = [f for f in REQUIRED if f not in mapping.values()]
    if missing:
        raise Invalid("缺少必需的列", details=[{"field": f, "code": "missing_column",
                                           "message": "缺少列：" + HEADERS[f][0],
                                           "message_en": f"Missing column: {f}"} for f in missing])
    for number, row in enumerate(rows[1:], start=2):
        values = {field: row[i] for i, field in mapping.items() if i < len(row)}
        if any(v not in (None, "") for v in values.values()):
            yield number, values


def _text(value):
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn numeric codes into floats
    text = str(value).strip()
    return text or None


def _convert(field, value, regions):
    """Spreadsheet cell → typed value; raises ValueError with a zh message."""
    text = _text(value)
    if text is None:
        return None
    if field == "credit_code":
        return normalise_credit_code(text)
    if field == "size":
        if text in SIZE_WORDS:
            return SIZE_WORDS[text]
        return text
    if field in ("latitude", "longitude"):
        try:
            return float(text)
        except ValueError:
            raise ValueError("应为数字") from None
    if field in ("workers_total", "workers_exposed"):
        if not re.fullmatch(r"\d+", text):
            raise ValueError("应为非负整数")
        return int(text)
    if field == "hazard_class_assessed_on":
        if isinstance(value, (dt.date, dt.datetime)):
            return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else value.date()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError("日期格式应为 YYYY-MM-DD") from None
    if field == "declared_hazards":
        return [part for part in re.split(r"[、,，;；\s]+", text) if part]
    if field == "region":
        region_id = regions.get(text)
        if region_id is None:
            raise ValueError(f"区县“{text}”不存在或不在本机构辖区")
        return region_id
    return text


def _parse_row(values, regions):
    data, problems = {}, []
    for field, raw in values.items():
        try:
            converted = _convert(field, raw, regions)
        except ValueError as error:
            problems.append({"field": field, "code": "format", "message": str(error), "message_en": "Invalid value"})
            continue
        if converted is not None:
            data["region_id" if field == "region" else field] = converted
    for field in REQUIRED:
        key = "region_id" if field == "region" else field
        if key not in data and not any(p["field"] == field for p in problems):
            problems.append({"field": field, "code": "required", "message": "必填", "message_en": "Required"})
    return data, problems


def import_enterprises(session, actor, filename, content, *, max_rows=20000):
    """Create or update enterprises from a file; returns the per-row report, or raises Invalid with it."""
    require(actor, "enterprise.create")
    districts = session.execute(sa.select(Region.id, Region.name, Region.code)
                                .where(Region.id.in_(actor.region_ids), Region.level == "district")).all()
    regions = {key: r.id for r in districts for key in (r.name, r.code)}
    existing, elsewhere = {}, set()
    for code, enterprise_id, region_id in session.execute(
            sa.select(Enterprise.credit_code, Enterprise.id, Enterprise.region_id)):
        existing[code] = enterprise_id
        if not actor.covers_region(region_id):
            elsewhere.add(code)
    report, problems, parsed, seen = [], [], [], {}
    for number, values in read_rows(filename, content):
        if len(parsed) + len(problems) >= max_rows:
            raise Invalid(f"一次最多导入{max_rows}行", details=[{"field": "file", "code": "too_many_rows",
                                                          "message": f"一次最多导入{max_rows}行",
                                                          "message_en": f"At most {max_rows} rows per import"}])
        data, row_problems = _parse_row(values, regions)
        code = data.get("credit_code")
        if code in seen:
            row_problems.append({"field": "credit_code", "code": "duplicate_in_file",
                                 "message": f"与第{seen[code]}行重复", "message_en": f"Same code as row {seen[code]}"})
        elif code:
            seen[code] = number
        if code in elsewhere:
            # Another district's enterprise is never moved or renamed by an import; its own staff keep it.
            row_problems.append(problem("credit_code", "other_district", "该单位已登记在其他辖区，不能通过导入修改",
                                        "This enterprise is registered in another district; an import cannot "
                                        "change it"))
        row_problems += [p for p in check_enterprise_fields(session, data, existing_id=existing.get(code))
                         if not any(q["field"] == p["field"] for q in row_problems)]
        action = "updated" if code in existing else "created"
        report.append({"row": number, "credit_code": code, "name": data.get("name"),
                       "status": "error" if row_problems else action, "errors": row_problems})
        problems += [dict(p, row=number) for p in row_problems]
        parsed.append((data, existing.get(code)))
    if problems:
        raise Invalid(f"{len({p['row'] for p in problems})}行有错误，未导入任何数据", details=problems)
    _write(session, parsed)
    audit.record(session, actor, "enterprise.import", filename,
                 created=sum(r["status"] == "created" for r in report),
                 updated=sum(r["status"] == "updated" for r in report))
    return report


def _write(session, parsed):
    first = allocate_changes(session, len(parsed)) if parsed else 0
    for offset, (data, enterprise_id) in enumerate(parsed):
        change_no = first + offset
        fields = {k: data[k] for k in EDITABLE if k in data}
        if enterprise_id:
            enterprise = session.get(Enterprise, enterprise_id)
            for key, value in fields.items():
                setattr(enterprise, key, value)
        else:
            enterprise = Enterprise(credit_code=data["credit_code"], **{"declared_hazards": [], **fields})
            session.add(enterprise)
        versions = dict(enterprise.field_versions or {})
        versions.update({k: change_no for k in [*fields, "credit_code"]})
        enterprise.field_versions = versions
        enterprise.change_no = change_no
    session.flush()
