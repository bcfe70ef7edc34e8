"""Jinja filters: dates and times the way Chinese enforcement documents write them, and small text helpers."""
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from ..domain.wording import finding_text, notice_wording, sentence
from ..form_registry.values import fraction_digits

ASPECT_STATUS_ZH = {"done": "已落实", "partly": "部分落实", "not_done": "未落实", "not_applicable": "不适用"}


def _as_datetime(value):
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(value)


def date_zh(value):
    """2026-04-01 (or a datetime in its own offset) → 2026年4月1日; empty for None."""
    if not value:
        return ""
    moment = _as_datetime(value)
    return f"{moment.year}年{moment.month}月{moment.day}日"


def time_zh(value):
    """A datetime → 9时05分, as on-site records write the clock."""
    moment = _as_datetime(value)
    return f"{moment.hour}时{moment.minute:02d}分"


def datetime_zh(value):
    """2026-04-01T09:05+08:00 → 2026年4月1日9时05分 (the time as written on site, never converted)."""
    if not value:
        return ""
    return date_zh(value) + time_zh(value)


def period_zh(start, end):
    """检查时间: 2026年4月1日9时30分至11时05分; the date is repeated only when the visit crosses midnight."""
    first, last = _as_datetime(start), _as_datetime(end)
    tail = time_zh(last) if first.date() == last.date() else datetime_zh(last)
    return f"{datetime_zh(first)}至{tail}"


def clock(value):
    """09:10 or an ISO datetime → 09:10 (sampling start and end in the record table)."""
    if not value:
        return "—"
    if "T" in str(value):
        return _as_datetime(value).strftime("%H:%M")
    return str(value)


def dash(value):
    """The value as printed, or an em dash for an empty cell (a blank cell looks like a forgotten one)."""
    if value is None or value == "" or value == []:
        return "—"
    return value


# More places than this in a stored number are binary noise (0.1 + 0.2), never a digit someone typed.
MAX_PLACES = 6


def decimal_text(value, places):
    """A number with exactly `places` decimals, never a float's repr (834.7254609459529 at 1 → 834.7); rounded
    as GB/T 8170 rounds (half to even, on the decimal the value stands for, not its binary neighbour)."""
    exact = Decimal(repr(value) if isinstance(value, float) else str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    return f"{rounded + 0:f}"  # + 0 turns a rounded -0.0 into 0.0


def _as_text(value, places):
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value  # already written out (a context made before numbers were formatted here)
    return decimal_text(value, places)


def reading(value, places=None):
    """A value typed on the tablet, at the decimals of its form field at least (1.2 typed into a 0.01 L/min field
    prints 1.20: the pump's precision) and with every digit it was typed with; an em dash for no value."""
    typed = fraction_digits(value) if isinstance(value, (int, float)) else 0
    if typed > MAX_PLACES:
        return fixed(value, places)
    return _as_text(value, max(places or 0, typed))


def fixed(value, places=None):
    """A computed value (volume, mean flow, deviation, L_EX,8h) at the precision the record gives it; without one,
    the value's own digits up to three places."""
    if places is None and isinstance(value, (int, float)):
        places = min(fraction_digits(value), 3)
    return _as_text(value, places)


def lines(value):
    """Free text (str with line breaks, or a list) as a list of non-empty paragraphs."""
    if not value:
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).splitlines()
    return [str(item).strip() for item in items if str(item).strip()]


def self_reference(agency_name):
    """How the agency names itself in the text: 我委, 我局, 我中心, else 本机关."""
    for suffix, short in (("委员会", "我委"), ("委", "我委"), ("局", "我局"), ("中心", "我中心"), ("所", "我所")):
        if agency_name.endswith(suffix):
            return short
    return "本机关"


def aspect_status(value):
    """done/partly/not_done/not_applicable → 已落实/部分落实/未落实/不适用."""
    return ASPECT_STATUS_ZH.get(value, value)


def number_line(number):
    """A 文号 (…〔2026〕12号) prints as is; a bare 编号 (2026—012) gets its label."""
    return number if number.endswith("号") else f"编号：{number}"


FILTERS = {
    "date_zh": date_zh, "time_zh": time_zh, "datetime_zh": datetime_zh, "clock": clock, "dash": dash,
    "reading": reading, "fixed": fixed,
    "sentence": sentence, "finding_text": finding_text, "lines": lines, "self_reference": self_reference, "aspect_status": aspect_status,
    "number_line": number_line,
}
GLOBALS = {"period_zh": period_zh, "wording": notice_wording()}
