"""Document numbers: 文号 such as 临卫职改〔2026〕12号 and 编号 such as 2026—001 (reference.md §5.1).

A spec is a row of reference/documents/number_templates.json (template, nature_code, seq_width,
seq_prefix), possibly overridden per province. Devices issuing offline draw from blocks reserved online.
"""
import re
import string

from .errors import Invalid, invalid

PLACEHOLDERS = ("region_short", "nature", "year", "seq")
# 公文 use the hexagonal brackets 〔〕; [] and 【】 are the common wrong substitutes.
WRONG_BRACKETS = "[]【】［］"
PART_PATTERNS = {"region_short": r"(?P<region_short>[^\s〔〕]+?)", "nature": r"(?P<nature>[^\s〔〕]+?)",
                 "year": r"(?P<year>\d{4})"}


def _template_fields(template):
    if any(char in template for char in WRONG_BRACKETS):
        raise invalid("编号模板括号错误", "template", "wrong_brackets", "年份须用六角括号〔〕，不能用 [] 或 【】",
                       "Years take the hexagonal brackets 〔〕, not [] or 【】")
    fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    unknown = [name for name in fields if name not in PLACEHOLDERS]
    if unknown or "year" not in fields or "seq" not in fields or len(fields) != len(set(fields)):
        raise invalid("编号模板无效", "template", "bad_template", "模板须包含 {year} 和 {seq} 各一次，且只能使用已知占位符",
                       "A template needs {year} and {seq} once each and only known placeholders")
    return fields


def format_seq(seq, spec):
    """The sequence as printed: optional prefix (e.g. 第) and zero padding to seq_width."""
    return f"{spec.get('seq_prefix') or ''}{seq:0{spec.get('seq_width') or 0}d}"


def format_number(spec, parts):
    """Number from a spec and parts {region_short, nature?, year, seq}; nature defaults to the spec's code."""
    fields = _template_fields(spec["template"])
    year, seq = parts.get("year"), parts.get("seq")
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise invalid("年份无效", "year", "year", "年份应为四位数字", "Year must have four digits")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise invalid("序号无效", "seq", "seq", "序号应为正整数", "Sequence must be a positive whole number")
    values = {"year": year, "seq": format_seq(seq, spec),
              "region_short": parts.get("region_short"), "nature": parts.get("nature") or spec.get("nature_code")}
    for name in ("region_short", "nature"):
        text = values[name]
        if name in fields and (not text or any(char in text for char in WRONG_BRACKETS + "〔〕 ")):
            raise invalid("编号要素无效", name, "required", f"{name} 不能为空，也不能含括号或空格",
                           f"{name} is required and may not contain brackets or spaces")
    return spec["template"].format(**values)


def _number_pattern(spec):
    fields = _template_fields(spec["template"])
    pattern, prefix = "", re.escape(spec.get("seq_prefix") or "")
    for literal, name, _, _ in string.Formatter().parse(spec["template"]):
        pattern += re.escape(literal)
        if name == "seq":
            pattern += rf"{prefix}(?P<seq>\d+)"
        elif name:
            pattern += PART_PATTERNS[name]
    return re.compile(pattern), fields


def parse_number(number, spec):
    """Parts {region_short, nature, year, seq} of a number in the spec's template; Invalid if it does not fit."""
    if any(char in number for char in WRONG_BRACKETS):
        raise invalid("编号括号错误", "number", "wrong_brackets", "年份须用六角括号〔〕，不能用 [] 或 【】",
                       "Years take the hexagonal brackets 〔〕, not [] or 【】")
    pattern, fields = _number_pattern(spec)
    match = pattern.fullmatch(number.strip())
    if not match:
        raise invalid("编号格式不符", "number", "format", f"编号应符合格式 {spec['template']}",
                       f"The number must follow {spec['template']}")
    parsed = {"region_short": match.groupdict().get("region_short"), "nature": match.groupdict().get("nature"),
              "year": int(match["year"]), "seq": int(match["seq"])}
    if "nature" in fields and spec.get("nature_code") and parsed["nature"] != spec["nature_code"]:
        raise invalid("执法性质代字不符", "number", "nature", f"此类文书的性质代字应为“{spec['nature_code']}”",
                       f"This document type uses the nature code {spec['nature_code']}")
    return parsed


def check_reserved_number(number, spec, block, *, agency_id, region_short=None):
    """Parts of an offline-issued number; Invalid unless it lies in block {agency_id, doc_type, year, start, end}."""
    parsed = parse_number(number, spec)
    mismatches = []
    if block["agency_id"] != agency_id:
        mismatches.append(("agency_id", "其他机构的号段", "The block belongs to another agency"))
    if block["doc_type"] != spec["key"]:
        mismatches.append(("doc_type", "其他文书类型的号段", "The block is for another document type"))
    if region_short is not None and parsed["region_short"] not in (None, region_short):
        mismatches.append(("region_short", "地区简称不符", "Wrong region short name"))
    if parsed["year"] != block["year"]:
        mismatches.append(("year", "年份不在号段内", "The year is not the block's year"))
    if not block["start"] <= parsed["seq"] <= block["end"]:
        mismatches.append(("seq", f"序号不在预留号段 {block['start']}–{block['end']} 内",
                           f"Sequence outside the reserved block {block['start']}–{block['end']}"))
    if mismatches:
        raise Invalid("编号不在本设备预留的号段内", details=[
            {"field": field, "code": "outside_reserved_block", "message": zh, "message_en": en}
            for field, zh, en in mismatches])
    return parsed
