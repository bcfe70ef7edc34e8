"""Reading the versioned reference tables under reference/ (all share one JSON envelope).

Envelope: {"table", "title_zh", "title_en", "version", "source", "rows": [...]}. Nothing is read at
import time: each module reads its default file on first use and keeps it, and every function that
uses one also accepts explicitly loaded data (an admin's edited table, a test's fixture).
"""

import json
from datetime import date
from pathlib import Path

from .errors import Invalid

CONFIDENCES = ("verified", "third_party", "memory")
ENVELOPE_KEYS = ("table", "title_zh", "title_en", "version", "source", "rows")


def reference_dir():
    """The repository's reference/ directory (default location of the tables)."""
    return Path(__file__).resolve().parents[2] / "reference"


def default_path(*parts):
    """Path of a default reference file, e.g. default_path("oel", "gbz2_1.json")."""
    return reference_dir().joinpath(*parts)


def read_table(path, table):
    """Read a reference file and check its envelope; raises Invalid on a wrong or broken file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Invalid(f"参考数据文件无法读取: {path.name}",
                      details=[{"field": "file", "message": str(exc)}]) from exc
    missing = [key for key in ENVELOPE_KEYS if key not in data]
    if missing:
        raise Invalid(f"参考数据文件缺少字段: {', '.join(missing)}",
                      details=[{"field": key, "message": "missing"} for key in missing])
    if data["table"] != table:
        raise Invalid(f"参考数据表类型不符: 期望 {table}, 实际 {data['table']}",
                      details=[{"field": "table", "message": f"expected {table}"}])
    return data


def parse_date(value, field="date", row=None):
    """ISO date string (or None) → date; raises Invalid with the row index on a bad value."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise Invalid(f"日期格式错误: {value!r}",
                      details=[{"field": field, "message": "expected YYYY-MM-DD", "row": row}]) from exc


def in_period(on_date, effective_from, effective_to):
    """True when on_date is in [effective_from, effective_to): the end date is the first day not covered."""
    if effective_from is not None and on_date < effective_from:
        return False
    if effective_to is not None and on_date >= effective_to:
        return False
    return True


def check_confidence(row, index):
    """Check the confidence/verified pair of a row: verified is true only for confidence "verified"."""
    confidence = row.get("confidence")
    if confidence not in CONFIDENCES:
        raise Invalid(f"第 {index} 行 confidence 无效: {confidence!r}",
                      details=[{"field": "confidence", "message": "unknown", "row": index}])
    if bool(row.get("verified")) != (confidence == "verified"):
        raise Invalid(f"第 {index} 行 verified 与 confidence 不一致",
                      details=[{"field": "verified", "message": "must equal confidence == verified",
                                "row": index}])
    return confidence
