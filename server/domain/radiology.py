"""The 放射诊疗机构 ledger: licensed institutions, their devices' quality-control tests and the inspection coverage.

A file is a record of the form radiology_institution (entity `radiology_institution`, named in an imported sheet by
its 放射诊疗许可证号); its devices are child records (`radiology_device`) carrying the day of their last 状态检测 and
last 稳定性检测. 《放射诊疗管理规定》(卫生部令第46号) 第二十条 asks for regular stability tests and a status test at
least once a year; the cycle of each device type is reference data (reference/radiology/test_cycles.json, table
radiology_test_cycles), read as in force today.

A device in use is due each test one cycle after its last one, or after its installation when it was never tested;
a device with neither date is overdue (nothing on file). Devices out of use or scrapped are not due. A file is 逾期
when a device has a test overdue, 即将到期 when one falls due within 30 days, 正常 otherwise, 无设备 with no device in
use.

Coverage (监督覆盖率, by the level of the authority that issued the licence 分级分类监督): the files whose linked
registry enterprise had a handed-in inspection (reviews.COUNTED_STATES) dated in the period, of the files of that
level. Stability tests on time: devices in use whose stability test is not overdue today, of the devices in use
whose type has a cycle. Both against their targets in kpi_targets.
"""
import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from ..models import Record
from .classification import add_months
from .ledgers import Column, Ledger, pct, register, tile
from .reference_store import rows_in_force, table_data
from .reviews import COUNTED_STATES
from .values import day_or_none

KIND = "radiology"
ENTITY = "radiology_institution"
DEVICE = "radiology_device"
FORM_ID = "radiology_institution"
CYCLES = "radiology_test_cycles"
INSPECTION = "inspection"
DUE_SOON_DAYS = 30
NOT_IN_USE = ("stopped", "scrapped")  # 停用, 报废: no test falls due
STATES = (("overdue", "逾期"), ("due_soon", "即将到期"), ("normal", "正常"), ("no_device", "无设备"))
TESTS = (("status", "last_status_test_on", "状态检测"), ("stability", "last_stability_test_on", "稳定性检测"))
# The form's words for the issuing level (forms/definitions/radiology_institution/1.json; a unit test keeps them equal).
ISSUING_LEVELS = {"provincial": "省级卫生健康行政部门", "municipal": "市级卫生健康行政部门",
                  "county": "县级卫生健康行政部门"}
LEVEL_SHORT = {"provincial": "省级", "municipal": "市级", "county": "县级"}
COVERAGE_TARGET, ON_TIME_TARGET = "radiology_inspection_coverage", "radiology_stability_on_time"


@dataclass(frozen=True)
class Cycle:
    """A device type's cycles in months (stability None: the type's cycle is unknown, only the status test is due)."""

    name_zh: str
    status_months: int
    stability_months: int | None


@dataclass(frozen=True)
class TestDue:
    """One test of a device: which, when it falls due (None: nothing on file to count from)."""

    test: str
    name_zh: str
    due_on: dt.date | None



def cycles_in_force(session, today):
    """Device type → Cycle, from the reference rows in force on `today`."""
    return {row["key"]: Cycle(row.get("name_zh") or row["key"], row.get("status_months") or 12,
                              row.get("stability_months")) for row in rows_in_force(session, CYCLES, today)}


def in_use(device):
    """True unless the device is out of use or scrapped (an empty status is a device in use)."""
    return device.get("device_status") not in NOT_IN_USE


def due_tests(device, cycle):
    """The tests a device in use owes, each due a cycle after its last one, or after the installation."""
    installed = day_or_none(device.get("installed_on"))
    cycle = cycle or Cycle("", 12, None)
    months = {"status": cycle.status_months, "stability": cycle.stability_months}
    due = []
    for test, field, name in TESTS:
        if months[test] is None:
            continue
        since = day_or_none(device.get(field)) or installed
        due.append(TestDue(test, name, add_months(since, months[test]) if since else None))
    return due


def device_state(device, cycle, today, soon_days=DUE_SOON_DAYS):
    """(state, earliest due day, overdue tests) of a device today: not_in_use, overdue (a test due before today or
    with nothing on file), due_soon (one due within `soon_days`) or done."""
    if not in_use(device):
        return "not_in_use", None, []
    due = due_tests(device, cycle)
    overdue = [t for t in due if t.due_on is None or t.due_on < today]
    days = [t.due_on for t in due if t.due_on is not None]
    first = min(days) if days else None
    if overdue:
        return "overdue", first, overdue
    if first is not None and first <= today + dt.timedelta(days=soon_days):
        return "due_soon", first, []
    return "done", first, []


def stability_on_time(device, cycle, today):
    """None when the stability test is not judged (device not in use, type without a cycle); else whether it is not
    overdue today."""
    if not in_use(device) or cycle is None or cycle.stability_months is None:
        return None
    test = next(t for t in due_tests(device, cycle) if t.test == "stability")
    return test.due_on is not None and test.due_on >= today


def institution_state(device_states):
    """A file's state from its devices' states: overdue, due_soon, normal, or no_device (none in use)."""
    used = [state for state in device_states if state != "not_in_use"]
    if not used:
        return "no_device"
    if "overdue" in used:
        return "overdue"
    return "due_soon" if "due_soon" in used else "normal"


def overdue_words(device_name, overdue, today):
    """What is overdue on a device, as people read it: "CT机 稳定性检测逾期12天"."""
    parts = [f"{t.name_zh}逾期{(today - t.due_on).days}天" if t.due_on else f"{t.name_zh}无记录" for t in overdue]
    return f"{device_name or '未命名设备'} " + "、".join(parts)


# ---------------------------------------------------------------------------------------------------------------
# Reading the files


def _files(session, regions):
    return session.execute(sa.select(Record.id, Record.region_id, Record.data).where(
        Record.entity == ENTITY, Record.parent_id.is_(None), Record.deleted.is_(False),
        Record.region_id.in_(sorted(regions)))).all()


def _devices(session, regions):
    """Devices by the id of their file."""
    found = {}
    for row in session.execute(sa.select(Record.parent_id, Record.data).where(
            Record.entity == DEVICE, Record.deleted.is_(False), Record.region_id.in_(sorted(regions)))):
        found.setdefault(row.parent_id, []).append(row.data or {})
    return found


def _line(file, devices, cycles, today):
    data = file.data or {}
    states, overdue, next_due = [], [], None
    for device in devices:
        state, due, late = device_state(device, cycles.get(device.get("device_type")), today)
        states.append(state)
        if late:
            overdue.append(overdue_words(device.get("device_name"), late, today))
        if due is not None and (next_due is None or due < next_due[0]):
            next_due = (due, device.get("device_name") or "设备")
    used = sum(state != "not_in_use" for state in states)
    stopped = len(states) - used
    state = institution_state(states)
    counted = f"{used} 台" + (f"（另有停用或报废 {stopped} 台）" if stopped else "")
    return {"id": file.id, "region_id": file.region_id, "state": state,
            "due_on": next_due[0].isoformat() if next_due else None,
            "search": " ".join(str(data.get(k) or "") for k in ("institution_name", "licence_no", "credit_code")),
            "institution": data.get("institution_name"), "licence_no": data.get("licence_no"),
            "issuing_level": ISSUING_LEVELS.get(data.get("issuing_level"), "未填写"), "devices": counted,
            "next_due": f"{next_due[0].isoformat()}（{next_due[1]}）" if next_due else "无在用设备",
            "overdue": "；".join(overdue) if overdue else "无"}


def ledger_lines(session, regions, today):
    """Every file of the regions with its state today (domain/ledgers.py Ledger.lines)."""
    if not regions:
        return []
    cycles = cycles_in_force(session, today)
    devices = _devices(session, regions)
    return [_line(file, devices.get(file.id, []), cycles, today) for file in _files(session, regions)]


# ---------------------------------------------------------------------------------------------------------------
# Figures


def inspected_enterprises(session, regions, enterprise_ids, date_from, date_to):
    """Of these enterprises, those with a handed-in inspection dated in the period."""
    if not enterprise_ids:
        return set()
    return set(session.scalars(sa.select(Record.enterprise_id).distinct().where(
        Record.entity == INSPECTION, Record.parent_id.is_(None), Record.deleted.is_(False),
        Record.region_id.in_(sorted(regions)), Record.review_status.in_(COUNTED_STATES),
        Record.business_date.between(date_from, date_to), Record.enterprise_id.in_(sorted(enterprise_ids)))))


def coverage_by_level(files, inspected):
    """{issuing level: (files inspected, files)} over the files' data, levels in the order of the form."""
    counts = {level: [0, 0] for level in ISSUING_LEVELS}
    for data in files:
        pair = counts.setdefault(data.get("issuing_level") or "unknown", [0, 0])
        pair[1] += 1
        pair[0] += data.get("enterprise_id") in inspected
    return {level: tuple(pair) for level, pair in counts.items()}


def _coverage_words(by_level, unlinked):
    parts = [f"{LEVEL_SHORT.get(level, '未填写级别')} {done}/{whole} 家（{_pct_words(pct(done, whole))}）"
             for level, (done, whole) in by_level.items() if whole]
    if unlinked:
        parts.append(f"{unlinked} 家未关联用人单位名录，无法计入")
    return "；".join(parts) or "无放射诊疗机构"


def _pct_words(value):
    return "无数据" if value is None else f"{value:g}%"


def _target(session, targets, key):
    rows = targets if targets is not None else {row["key"]: row for row in table_data(session, "kpi_targets")}
    row = rows.get(key)
    return row.get("target_pct") if isinstance(row, dict) else row


def ledger_figures(session, regions, date_from, date_to, today, targets):
    """The ledger's tiles for a period (domain/ledgers.py Ledger.figures); device states are those of today."""
    files = [row.data or {} for row in _files(session, regions)] if regions else []
    devices = [d for group in (_devices(session, regions) if regions else {}).values() for d in group]
    cycles = cycles_in_force(session, today)
    used = [d for d in devices if in_use(d)]
    overdue = sum(device_state(d, cycles.get(d.get("device_type")), today)[0] == "overdue" for d in used)
    judged = [stability_on_time(d, cycles.get(d.get("device_type")), today) for d in used]
    on_time, whole = sum(j is True for j in judged), sum(j is not None for j in judged)
    linked = {d.get("enterprise_id") for d in files if d.get("enterprise_id")}
    by_level = coverage_by_level(files, inspected_enterprises(session, regions, linked, date_from, date_to))
    done, total = sum(p[0] for p in by_level.values()), sum(p[1] for p in by_level.values())
    unlinked = sum(not d.get("enterprise_id") for d in files)
    stopped = len(devices) - len(used)
    return [
        tile("institutions", "放射诊疗机构", len(files)),
        tile("devices", "在用放射诊疗设备", len(used),
             detail_zh=f"另有停用或报废 {stopped} 台" if stopped else None),
        tile("devices_overdue", "检测逾期设备", overdue, detail_zh=f"截至 {today.isoformat()}"),
        tile("stability_on_time", "稳定性检测按期率", pct(on_time, whole), unit="pct",
             target_pct=_target(session, targets, ON_TIME_TARGET), part=on_time, whole=whole,
             detail_zh=f"截至 {today.isoformat()}，在用设备 {whole} 台中 {on_time} 台未逾期"),
        tile("inspection_coverage", "放射诊疗机构监督覆盖率", pct(done, total), unit="pct",
             target_pct=_target(session, targets, COVERAGE_TARGET), part=done, whole=total,
             detail_zh=_coverage_words(by_level, unlinked)),
    ]


COLUMNS = (Column("institution", "机构名称"), Column("licence_no", "放射诊疗许可证号"),
           Column("issuing_level", "发证机关级别"), Column("devices", "在用设备"),
           Column("next_due", "下次检测到期"), Column("overdue", "逾期设备"))

LEDGER = register(Ledger(kind=KIND, entity=ENTITY, form_id=FORM_ID, key="licence_no", title_zh="放射诊疗机构台账",
                         read_verb="radiology.read", import_verb="radiology.import", states=STATES, columns=COLUMNS,
                         lines=ledger_lines, figures=ledger_figures))
