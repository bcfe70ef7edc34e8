"""A registry spreadsheet (XLSX or CSV) read into typed enterprise fields, each problem with its row and column."""
import csv
import datetime as dt
import io
import re

from openpyxl import load_workbook

from .credit_codes import normalise_credit_code
from .errors import Invalid, invalid, problem
from .hazard_names import resolve_hazards

# Column headers as the national system and district spreadsheets write them, plus the API's own names. The
# first one is the column's name people read (in a diff, in an error).
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
    "first_declared_on": ("初次申报日期", "首次申报日期", "first_declared_on"),
    "last_declared_on": ("最近申报日期", "最近申报/变更日期", "最近变更申报日期", "last_declared_on"),
}
SIZE_WORDS = {"大": "large", "大型": "large", "中": "medium", "中型": "medium", "小": "small", "小型": "small",
              "微": "micro", "微型": "micro"}
REQUIRED = ("credit_code", "name", "region")


def attribute_of(field):
    """The enterprise attribute a column fills (所属区县 names a district: region → region_id)."""
    return "region_id" if field == "region" else field


def column_of(attribute):
    """The column that fills an enterprise attribute (the inverse of attribute_of)."""
    return "region" if attribute == "region_id" else attribute


class RegistryFile:
    """The rows of an uploaded file and the header each field was found under (errors name the file's own column).
    `headers` and `required` default to the registry's; another register's import (domain/class_imports.py) passes
    its own columns."""

    def __init__(self, filename, content, headers=None, required=None):
        table = _table(filename, content)
        if not table:
            raise invalid("文件为空", "file", "empty", "文件为空", "The file is empty")
        self.headers = headers = headers or HEADERS
        required = required or REQUIRED
        lookup = {alias: field for field, aliases in headers.items() for alias in aliases}
        self.positions, self.columns = {}, {}
        for index, title in enumerate(table[0]):
            field = lookup.get(str(title or "").strip())
            if field and field not in self.columns:
                self.positions[index] = field
                self.columns[field] = str(title).strip()
        missing = [f for f in required if f not in self.columns]
        if missing:
            raise Invalid("缺少必需的列", details=[problem(f, "missing_column", "缺少列：" + headers[f][0],
                                                     f"Missing column: {f}", column=headers[f][0])
                                             for f in missing])
        self._table = table

    def rows(self):
        """(row number as the spreadsheet shows it, {field: cell}) of every row that is not blank."""
        for number, row in enumerate(self._table[1:], start=2):
            values = {field: row[i] for i, field in self.positions.items() if i < len(row)}
            if any(v not in (None, "") for v in values.values()):
                yield number, values

    def column(self, field):
        """The header of a field's column in this file (or its usual name)."""
        return self.columns.get(column_of(field)) or self.headers.get(column_of(field), (field,))[0]


def _xlsx_rows(content):
    """The first sheet's rows; Invalid for a file that is not a readable workbook (corrupt, not a zip, or XML
    with entity declarations, which defusedxml refuses: no billion laughs, no external entities)."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        return list(sheet.iter_rows(values_only=True))
    except Exception as error:  # openpyxl raises many kinds for a bad file; each is the same mistake to the user
        raise invalid("无法读取该 Excel 文件", "file", "unreadable", "文件已损坏或不是有效的 Excel 工作簿（.xlsx）",
                      f"Not a readable .xlsx workbook ({error.__class__.__name__})") from None


def _table(filename, content):
    if filename.lower().endswith(".xlsx"):
        return _xlsx_rows(content)
    if not filename.lower().endswith(".csv"):
        raise invalid("仅支持 .xlsx 和 .csv 文件", "file", "type", "仅支持 .xlsx 和 .csv 文件",
                      "Only .xlsx and .csv files are accepted")
    # Excel in China saves CSV as GBK; UTF-8 (with or without BOM) is tried first.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return list(csv.reader(io.StringIO(content.decode(encoding))))
        except UnicodeDecodeError:
            continue
    raise invalid("无法识别文件编码", "file", "encoding", "请使用 UTF-8 或 GBK 编码的 CSV", "Use a UTF-8 or GBK encoded CSV")


def _text(value):
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn numeric codes into floats
    text = str(value).strip()
    return text or None


cell_text = _text  # a cell as trimmed text (numbers as spreadsheets store codes), None when blank
sheet_rows = _table  # an uploaded XLSX or CSV as rows of cells (the first row its headers)


def cell_date(value, text):
    """A date cell (a spreadsheet date or YYYY-MM-DD text); ValueError with the Chinese message."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("日期格式应为 YYYY-MM-DD") from None


def _convert(field, value, text, regions):
    """Spreadsheet cell → typed value; raises ValueError with a zh message."""
    if field == "credit_code":
        return normalise_credit_code(text)
    if field == "size":
        return SIZE_WORDS.get(text, text)
    if field in ("latitude", "longitude"):
        try:
            return float(text)
        except ValueError:
            raise ValueError("应为数字") from None
    if field in ("workers_total", "workers_exposed"):
        if not re.fullmatch(r"\d+", text):
            raise ValueError("应为非负整数")
        return int(text)
    if field in ("hazard_class_assessed_on", "first_declared_on", "last_declared_on"):
        return cell_date(value, text)
    if field == "region":
        region_id = regions.get(text)
        if region_id is None:
            raise ValueError(f"区县“{text}”不存在或不在本机构辖区")
        return region_id
    return text


def parse_row(values, regions, hazards):
    """({attribute: typed value}, [problem]) of one row; blank cells are left out (an import never clears a
    field). `regions`: district name or code → id; `hazards`: hazard_names.hazard_lookup of the reference table."""
    data, problems = {}, []
    for field, raw in values.items():
        text = _text(raw)
        if text is None:
            continue
        if field == "declared_hazards":
            keys, unknown = resolve_hazards(text, hazards)
            problems += [problem(field, "unknown_hazard", zh, en) for _name, zh, en in unknown]
            if keys and not unknown:
                data[field] = keys
            continue
        try:
            data[attribute_of(field)] = _convert(field, raw, text, regions)
        except ValueError as error:
            problems.append(problem(field, "format", str(error), "Invalid value"))
    for field in REQUIRED:
        if attribute_of(field) not in data and not any(p["field"] == field for p in problems):
            problems.append(problem(field, "required", "必填", "Required"))
    return data, problems
