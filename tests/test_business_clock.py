"""One business clock in China Standard Time: what "today" is never depends on the host's timezone, and nothing in
server/ but the clock module reads the host's clock."""
import ast
import datetime as dt
import time
from pathlib import Path

import pytest

from server.clock import CHINA, FrozenClock, SystemClock, clock_from_config
from server.config import ConfigError, load_config

SERVER = Path(__file__).resolve().parents[1] / "server"
# Calls that read the host's clock: only server/clock.py may make them.
FORBIDDEN = {("date", "today"), ("datetime", "today"), ("datetime", "now"), ("datetime", "utcnow"),
             ("time", "time"), ("time", "localtime"), ("time", "gmtime"), ("time", "strftime")}


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return list(reversed(parts))


def test_nothing_under_server_but_the_clock_module_reads_the_hosts_clock():
    offenders = []
    for path in sorted(SERVER.rglob("*.py")):
        if path.name == "clock.py" and path.parent == SERVER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _dotted(node.func)
                if len(name) >= 2 and (name[-2], name[-1]) in FORBIDDEN:
                    offenders.append(f"{path.relative_to(SERVER.parent)}:{node.lineno} {'.'.join(name)}()")
            if isinstance(node, ast.ImportFrom) and node.module in ("datetime", "time"):
                imported = {alias.name for alias in node.names}
                if imported & {"today", "now", "utcnow", "time", "localtime", "gmtime"}:
                    offenders.append(f"{path.relative_to(SERVER.parent)}:{node.lineno} from {node.module} import …")
    assert offenders == []


def test_the_checker_would_catch_a_host_clock_call(tmp_path):
    """The scan above is not vacuous: the same walk finds the calls it forbids."""
    tree = ast.parse("import datetime as dt\nimport time\nx = dt.date.today()\ny = dt.datetime.now(dt.UTC)\n"
                     "z = time.time()\n")
    found = [".".join(_dotted(n.func)) for n in ast.walk(tree) if isinstance(n, ast.Call)
             and len(_dotted(n.func)) >= 2 and tuple(_dotted(n.func)[-2:]) in FORBIDDEN]
    assert sorted(found) == ["dt.date.today", "dt.datetime.now", "time.time"]


@pytest.mark.parametrize("instant, today, year", [
    ("2026-12-31T15:59:00+00:00", dt.date(2026, 12, 31), 2026),   # 23:59 in China
    ("2026-12-31T16:30:00+00:00", dt.date(2027, 1, 1), 2027),     # 00:30 on New Year's Day in China
    ("2027-01-01T00:10:00+08:00", dt.date(2027, 1, 1), 2027),
    ("2027-03-01T01:00:00-05:00", dt.date(2027, 3, 1), 2027),     # given in another offset: 14:00 in China
])
def test_today_and_year_are_china_standard_time(instant, today, year):
    clock = FrozenClock(instant)
    assert (clock.today(), clock.year()) == (today, year)
    assert clock.local_now().utcoffset() == dt.timedelta(hours=8)
    assert clock.now().tzinfo is not None


def test_the_system_clock_ignores_the_hosts_timezone(monkeypatch):
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        clock = SystemClock()
        expected = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=8)).date()
        assert clock.today() == expected
        assert clock.now().utcoffset() == dt.timedelta(0)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_frozen_clock_stands_still_until_moved_and_a_ticking_one_runs_on():
    frozen = FrozenClock("2026-12-31T23:59:00+08:00")
    assert frozen.now() == frozen.now()
    assert frozen.advance(minutes=2).today() == dt.date(2027, 1, 1)
    ticking = FrozenClock("2026-12-31T23:59:00+08:00", ticking=True)
    first = ticking.now()
    time.sleep(0.01)
    assert ticking.now() > first
    with pytest.raises(ValueError):
        FrozenClock("2026-12-31T23:59:00")  # an instant without its offset means nothing


def test_a_rehearsal_may_start_business_time_but_production_may_not(tmp_path):
    config = load_config({"INSTANCE_PATH": str(tmp_path), "BUSINESS_TIME_START": "2027-01-04T10:00:00+08:00"},
                         environ={})
    clock = clock_from_config(config)
    assert clock.today() == dt.date(2027, 1, 4) and clock.local_now().tzinfo == CHINA
    with pytest.raises(ConfigError, match="offset"):
        load_config({"INSTANCE_PATH": str(tmp_path), "BUSINESS_TIME_START": "2027-01-04 10:00"}, environ={})
    with pytest.raises(ConfigError, match="BUSINESS_TIME_START"):
        load_config({"INSTANCE_PATH": str(tmp_path), "APP_ENV": "production", "SECRET_KEY": "s" * 40,
                     "JWT_SECRET_KEY": "j" * 40, "BUSINESS_TIME_START": "2027-01-04T10:00:00+08:00"}, environ={})
    assert isinstance(clock_from_config(load_config({"INSTANCE_PATH": str(tmp_path)}, environ={})), SystemClock)


def test_kpi_deadlines_follow_the_business_clock_not_the_host(client, clock):
    """The same rectification item is open in April, due soon the week before its deadline and overdue after it."""
    import uuid

    from tests.issuing.inspections import complete_inspection
    from tests.support import login

    inspector = login(client, "lh_inspector")
    _, inspection, _ = complete_inspection(client, inspector)  # inspected 2026-04-08; deadlines 15 and 30 days
    clock.set("2026-04-08T15:00:00+08:00")
    assert inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                  "doc_type": "supervision_opinion"}).status_code == 201
    supervisor = login(client, "lh_supervisor")
    states = {}
    for when in ("2026-04-09T09:00:00+08:00", "2026-04-20T09:00:00+08:00", "2026-05-09T09:00:00+08:00"):
        clock.set(when)
        states[when[:10]] = supervisor.get("/api/rectifications").get_json()["summary"]
    assert states == {"2026-04-09": {"open": 2, "due_soon": 0, "overdue": 0, "reinspecting": 0, "closed": 0},
                      "2026-04-20": {"open": 1, "due_soon": 1, "overdue": 0, "reinspecting": 0, "closed": 0},
                      "2026-05-09": {"open": 0, "due_soon": 0, "overdue": 2, "reinspecting": 0, "closed": 0}}
