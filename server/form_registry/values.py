"""Value semantics shared with pwa/static/js/forms/values.js: emptiness, equality, dates and times.

Every rule here has a twin in JS and the golden cases in forms/cases/ hold both to the same answers,
so nothing may lean on a library whose parsing differs between the two (datetime.fromisoformat,
Date.parse): formats are matched with explicit ASCII patterns and instants computed by hand.
"""

import functools
import math
import re

# Blank means "no answer": these are the whitespace characters a tablet keyboard produces,
# including the ideographic space of Chinese input methods. Listed explicitly because
# str.strip() and String.prototype.trim() disagree on the rest of Unicode.
BLANK_CHARS = " \t\n\r\u3000"

DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
TIME_RE = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
DATETIME_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([01][0-9]|2[0-3]):([0-5][0-9])"
    r"(?::([0-5][0-9])(?:\.([0-9]{1,6}))?)?"
    r"(Z|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))")
UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
SNAKE_RE = re.compile(r"[a-z][a-z0-9_]*")


# Digits and marks an input method may type in full width, folded to ASCII before a number is read.
_FOLDED = {**{chr(0xFF10 + i): str(i) for i in range(10)}, "\uFF0E": ".", "\u3002": ".", "\uFF0C": ",",
           "\uFF0D": "-", "\u2212": "-"}
PLAIN_NUMBER_RE = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
DECIMAL_COMMA_RE = re.compile(r"-?[0-9]+,[0-9]+")
GROUPED_RE = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


def _fold_number(text):
    return "".join(_FOLDED.get(ch, ch) for ch in text if ch not in BLANK_CHARS)


def read_number(text):
    """A number as a person typed it: the number it unambiguously is, or the text unchanged so that the check says
    what is wrong (never guessed, never rescaled). Full-width digits, the Chinese full stop and a decimal comma
    ("12,5") are read; a comma that may be a thousands separator ("1,200") is not. Blank is None. Twin: readNumber."""
    plain = _fold_number(text)
    if plain == "":
        return None
    if PLAIN_NUMBER_RE.fullmatch(plain):
        return float(plain) if "." in plain else int(plain)
    if DECIMAL_COMMA_RE.fullmatch(plain) and not GROUPED_RE.fullmatch(plain):
        return float(plain.replace(",", "."))
    return text


def looks_grouped(value):
    """True for text that may be a number written with thousands separators ("1,200"). Twin: looksGrouped."""
    return isinstance(value, str) and GROUPED_RE.fullmatch(_fold_number(value)) is not None


def is_empty(value):
    """True for no answer: None, a blank string, an empty list or an empty object."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip(BLANK_CHARS)
    if isinstance(value, (list, dict)):
        return len(value) == 0
    return False


def is_truthy(value):
    """True when answered and not false or zero (the `truthy` operator)."""
    if is_empty(value) or value is False:
        return False
    return not (is_number(value) and value == 0)


def is_number(value):
    """A finite JSON number; booleans are not numbers (True == 1 in Python, not in JSON)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value)


def json_equal(a, b):
    """Equality of JSON values with JSON's types: true is not 1, 1 equals 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if type(a) is not type(b):
        return False
    return a == b


def number_text(value):
    """The shortest round-trip text of a number, as JS String(n) writes it for lint-approved numbers."""
    return repr(value) if isinstance(value, float) else str(value)


def fraction_digits(value):
    """Number of decimal places written in the shortest representation of a number."""
    text = number_text(value).lower()
    mantissa, _, exponent = text.partition("e")
    fraction = mantissa.partition(".")[2].rstrip("0")
    return max(0, len(fraction) - int(exponent or 0))


def char_count(text):
    """Length in characters (code points), so a rare-character name counts once, as in JS [...s]."""
    return len(text)


def _days_in_month(year, month):
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _valid_ymd(year, month, day):
    return 1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)


def is_date(value):
    """A calendar date written YYYY-MM-DD."""
    match = isinstance(value, str) and DATE_RE.fullmatch(value)
    return bool(match) and _valid_ymd(*(int(part) for part in match.groups()))


def is_time(value):
    """A clock time written HH:MM (24 h)."""
    return isinstance(value, str) and TIME_RE.fullmatch(value) is not None


def is_datetime(value):
    """An ISO 8601 date-time with seconds optional and a mandatory offset (Z or ±HH:MM)."""
    return datetime_seconds(value) is not None


def _days_from_civil(year, month, day):
    # Howard Hinnant's days-from-civil: exact integer arithmetic, identical in JS.
    year -= 1 if month <= 2 else 0
    era = (year if year >= 0 else year - 399) // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def datetime_seconds(value):
    """Seconds since 1970-01-01T00:00Z of an offset date-time, or None when it is not one."""
    return _datetime_seconds(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=4096)  # a batch's records repeat the same few times: validation, rules, derivations
def _datetime_seconds(value):
    match = DATETIME_RE.fullmatch(value)
    if not match:
        return None
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    if not _valid_ymd(year, month, day):
        return None
    second = int(match.group(6) or 0)
    fraction = match.group(7)
    offset = 0
    if match.group(8) != "Z":
        offset = (int(match.group(10)) * 60 + int(match.group(11))) * 60
        offset = -offset if match.group(9) == "-" else offset
    whole = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
    return whole + (int(fraction) / 10 ** len(fraction) if fraction else 0)


def is_uuid(value):
    """A UUID in its 8-4-4-4-12 hexadecimal form."""
    return isinstance(value, str) and UUID_RE.fullmatch(value) is not None


def compare(a, b):
    """-1, 0 or 1 for two numbers, two dates, two times or two date-times; None when not comparable."""
    if is_number(a) and is_number(b):
        pair = (a, b)
    elif is_datetime(a) and is_datetime(b):
        pair = (datetime_seconds(a), datetime_seconds(b))
    elif (is_date(a) and is_date(b)) or (is_time(a) and is_time(b)):
        pair = (a, b)  # fixed-width formats: text order is time order
    else:
        return None
    return (pair[0] > pair[1]) - (pair[0] < pair[1])
