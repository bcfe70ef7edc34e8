"""Error items and their messages in zh-CN and en. Twin: messages.js (a test compares the tables).

A template key names the wording; the error code is the stable machine name clients act on.
Several wordings may share a code (an attachment sent in data and a computed value sent are both
`readonly`).
"""

import re

from .values import number_text

# key: (code, zh, en); {label} is the field's label, other {names} come from the check.
TEMPLATES = {
    "required": ("required", "{label}为必填项", "{label} is required"),
    "record_type": ("type", "记录数据应为对象", "Record data must be a JSON object"),
    "type": ("type", "{label}：值的类型不正确", "{label}: wrong type of value"),
    "number_grouping": ("type", "{label}：“{value}”中的逗号可能是千位分隔符，也可能是小数点，请不带逗号输入（如 1200 或 1.2）",
                        "{label}: the comma in \"{value}\" may be a thousands separator or a decimal point; "
                        "type the number without it (1200 or 1.2)"),
    "not_number": ("type", "{label}：“{value}”不是数字", "{label}: \"{value}\" is not a number"),
    "format": ("format", "{label}：格式不正确，应为 {format}", "{label}: invalid format, expected {format}"),
    "geo_range": ("format", "{label}：坐标超出范围", "{label}: coordinates out of range"),
    "duplicate": ("format", "{label}：有重复的值", "{label}: repeated value"),
    "min": ("min", "{label}不能小于 {min}", "{label} must be at least {min}"),
    "max": ("max", "{label}不能大于 {max}", "{label} must be at most {max}"),
    "decimals": ("decimals", "{label}最多保留 {decimals} 位小数",
                 "{label}: at most {decimals} digits after the decimal point"),
    "max_length": ("max_length", "{label}不能超过 {max_length} 个字",
                   "{label} must be at most {max_length} characters"),
    "pattern": ("pattern", "{label}：格式不符合要求", "{label}: does not match the required format"),
    "choice": ("choice", "{label}：“{value}”不是可选项", "{label}: \"{value}\" is not one of the choices"),
    "unknown_field": ("unknown_field", "表单中没有字段“{name}”", "Unknown field \"{name}\""),
    "readonly": ("readonly", "{label}由系统计算，不能填写", "{label} is computed and cannot be set"),
    "readonly_attachment": ("readonly", "{label}应作为附件上传，不能写在记录数据中",
                            "{label} is an attachment field: upload files as attachments"),
    "min_count": ("min_count", "{label}至少需要 {min_count} 个", "{label} needs at least {min_count}"),
    "max_count": ("max_count", "{label}最多 {max_count} 个", "{label} allows at most {max_count}"),
    "reference": ("reference", "{label}：“{value}”不在参考数据 {table} 中",
                  "{label}: \"{value}\" is not in reference table {table}"),
    "officer_format": ("format", "{label}：请从执法人员名单中选择", "{label}: choose a person from the list of officers"),
    "officer": ("officer", "{label}：所选人员不在本机构执法人员名单中",
                "{label}: the person chosen is not on the agency's list of enforcement officers"),
}

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _fill(template, params):
    # Not str.format: user values may contain braces, and numbers must print as JS prints them.
    def value(match):
        item = params.get(match.group(1))
        if item is None:
            return ""
        return number_text(item) if isinstance(item, (int, float)) and not isinstance(item, bool) \
            else str(item)
    return _PLACEHOLDER.sub(value, template)


def make_error(field_id, key, field=None, **params):
    """One error item {field, code, message_zh, message_en} from a template key and its values."""
    code, zh, en = TEMPLATES[key]
    zh_params = dict(params, label=(field or {}).get("label_zh", field_id))
    en_params = dict(params, label=(field or {}).get("label_en", field_id))
    return {"field": field_id, "code": code,
            "message_zh": _fill(zh, zh_params), "message_en": _fill(en, en_params)}


def constraint_error(field_id, constraint):
    """Error item of a failed constraint, worded by the form author."""
    return {"field": field_id, "code": "constraint",
            "message_zh": constraint["message_zh"], "message_en": constraint["message_en"]}


def pattern_error(field_id, field):
    """Pattern error, with the form author's wording when the field gives one."""
    if "pattern_message_zh" in field:
        return {"field": field_id, "code": "pattern",
                "message_zh": field["pattern_message_zh"], "message_en": field["pattern_message_en"]}
    return make_error(field_id, "pattern", field)
