"""Checks of one non-empty value against its field type (the draft-mode checks). Twin: checks.js."""

import re

from .messages import make_error, pattern_error
from .values import (char_count, fraction_digits, is_date, is_datetime, is_number, is_time, looks_grouped,
                     is_uuid)

FORMATS = {"date": (is_date, "YYYY-MM-DD"), "time": (is_time, "HH:MM"),
           "datetime": (is_datetime, "YYYY-MM-DDTHH:MM[:SS]±HH:MM")}
GEO_KEYS = {"lat", "lng", "accuracy_m"}
USER_ID_RE = re.compile(r"[1-9][0-9]{0,17}")  # a user's id written as decimal text, as String(id) in JS


def check_value(field, value, context):
    """Error items for a value that is present; [] when it fits the field."""
    checker = _CHECKERS[field["type"]]
    return checker(field, value, context or {})


def _err(field, key, **params):
    return make_error(field["id"], key, field, **params)


def _check_text(field, value, _context):
    if not isinstance(value, str):
        return [_err(field, "type")]
    errors = []
    if "max_length" in field and char_count(value) > field["max_length"]:
        errors.append(_err(field, "max_length", max_length=field["max_length"]))
    if "pattern" in field and re.fullmatch(field["pattern"], value) is None:
        errors.append(pattern_error(field["id"], field))
    return errors


def _check_number(field, value, _context):
    if isinstance(value, str):  # text typed where a number belongs: said as typed, with what is wrong with it
        return [_err(field, "number_grouping" if looks_grouped(value) else "not_number", value=value)]
    if not is_number(value):
        return [_err(field, "type")]
    errors = []
    if "min" in field and value < field["min"]:
        errors.append(_err(field, "min", min=field["min"]))
    if "max" in field and value > field["max"]:
        errors.append(_err(field, "max", max=field["max"]))
    if "decimals" in field and fraction_digits(value) > field["decimals"]:
        errors.append(_err(field, "decimals", decimals=field["decimals"]))
    return errors


def _check_format(field, value, _context):
    test, shape = FORMATS[field["type"]]
    if not isinstance(value, str):
        return [_err(field, "type")]
    return [] if test(value) else [_err(field, "format", format=shape)]


def _check_select(field, value, _context):
    if not isinstance(value, str):
        return [_err(field, "type")]
    allowed = [choice["value"] for choice in field["choices"]]
    return [] if value in allowed else [_err(field, "choice", value=value)]


def _string_list_errors(field, value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return [_err(field, "type")]
    if len(set(value)) != len(value):
        return [_err(field, "duplicate")]
    return []


def _check_multi_select(field, value, _context):
    errors = _string_list_errors(field, value)
    if errors:
        return errors
    allowed = [choice["value"] for choice in field["choices"]]
    wrong = [item for item in value if item not in allowed]
    return [_err(field, "choice", value=wrong[0])] if wrong else []


def _check_boolean(field, value, _context):
    return [] if isinstance(value, bool) else [_err(field, "type")]


def _check_geo_point(field, value, _context):
    if not isinstance(value, dict) or not set(value) <= GEO_KEYS or "lat" not in value \
            or "lng" not in value or not all(is_number(item) for item in value.values()):
        return [_err(field, "type")]
    in_range = (-90 <= value["lat"] <= 90 and -180 <= value["lng"] <= 180
                and value.get("accuracy_m", 0) >= 0)
    return [] if in_range else [_err(field, "geo_range")]


def _check_enterprise(field, value, _context):
    if not isinstance(value, str):
        return [_err(field, "type")]
    return [] if is_uuid(value) else [_err(field, "format", format="UUID")]


def _check_register(field, value, _context):
    """A record of a register (a patient's file): its id. That it exists, is of the register's kind and lies in the
    writer's jurisdiction is the server's check when the record is written (sync/apply.py)."""
    return _check_enterprise(field, value, _context)


def _check_reference(field, value, context):
    if field.get("multiple"):
        errors = _string_list_errors(field, value)
        keys = value
    else:
        errors = [] if isinstance(value, str) else [_err(field, "type")]
        keys = [value]
    table = field["table"]
    valid = (context.get("references") or {}).get(table)
    # Without the table in the context the keys cannot be checked: a device may not have
    # synced that reference table yet, and the server checks again with its own copy.
    if errors or valid is None:
        return errors
    wrong = [key for key in keys if key not in valid]
    return [_err(field, "reference", value=wrong[0], table=table)] if wrong else []


def _check_officer(field, value, context):
    if not isinstance(value, str):
        return [_err(field, "type")]
    if USER_ID_RE.fullmatch(value) is None:
        return [_err(field, "officer_format")]
    roster = context.get("officers")
    # Without the roster in the context the person cannot be checked: a device may not have synced it
    # yet, and the server checks against its own users (domain/officers.py).
    if roster is None or value in roster:
        return []
    return [_err(field, "officer")]


_CHECKERS = {
    "text": _check_text, "number": _check_number, "date": _check_format, "time": _check_format,
    "datetime": _check_format, "select": _check_select, "multi_select": _check_multi_select,
    "boolean": _check_boolean, "geo_point": _check_geo_point, "enterprise": _check_enterprise,
    "reference": _check_reference, "officer": _check_officer, "register": _check_register,
}
