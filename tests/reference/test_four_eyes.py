"""One admin changes toluene's PC-TWA from 50 to 40 mg/m³: nothing an evaluation uses changes until a second admin
has verified it and its effective date has come (business clock, China date); the row's versions are kept."""
import datetime as dt

import pytest
import sqlalchemy as sa

from server.domain.actors import Actor
from server.domain.errors import Conflict, Forbidden, Invalid
from server.domain.evaluations import evaluate_visit
from server.domain.reference_fields import table_fields
from server.domain.reference_store import evaluation_reference, row_history, table_data
from server.domain.reference_versions import (apply_due_versions, list_changes, propose_change, propose_row,
                                              verify_change, withdraw_change)
from server.extensions import db
from server.models import ReferenceRow, ReferenceTable, User
from tests.support import BUSINESS_NOW

from .admins import SECOND_ADMIN, SECOND_ADMIN_NAME, add_second_admin

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()


def _actor(username):
    user = db.session.scalar(sa.select(User).where(User.username == username))
    return Actor(user_id=user.id, username=user.username, roles=frozenset(user.roles), agency_id=user.agency_id,
                 region_id=1, display_name=user.display_name)


@pytest.fixture
def admins(app):
    add_second_admin(app)
    return _actor("admin"), _actor(SECOND_ADMIN)


def _toluene_twa():
    return db.session.scalar(sa.select(ReferenceRow).where(
        ReferenceRow.table_name == "oel_limits", ReferenceRow.key == "toluene",
        ReferenceRow.row_key.contains("|PC-TWA|")))


def _toluene_verdict(today):
    """A toluene sample of 45 mg/m³ over the shift, judged with the reference data in force on `today`."""
    visit = {"sampling_date": "2026-04-08", "temperature_c": 20, "pressure_kpa": 101.3}
    sample = {"id": "s-1", "sample_type": "field", "hazard_key": "toluene", "post": "调漆工", "workshop": "涂装",
              "duration_type": "long_time", "limit_type": "pc_twa", "exposure_hours_per_day": 8,
              "start_time": "2026-04-08T08:00:00+08:00", "end_time": "2026-04-08T16:00:00+08:00",
              "flow_before_l_min": 0.1, "flow_after_l_min": 0.1, "lab_concentration_mg_m3": 45.0}
    result = evaluate_visit(visit, [sample], [], evaluation_reference(db.session, today))
    evaluation = result["groups"][0]["evaluation"]
    return evaluation["result"], evaluation["limits_used"][0], result["reference_as_of"]


def _propose_40(admin, clock, **extra):
    change = propose_change(db.session, admin, "oel_limits", _toluene_twa().row_key, {"value": 40},
                            "GBZ 2.1-2019 第3号修改单", now=clock.now(), **{"effective_on": None, **extra})
    db.session.commit()
    return change


def test_a_change_waits_for_a_second_admin_and_its_author_may_not_verify_it(admins, clock):
    admin, _second = admins
    change = _propose_40(admin, clock)
    assert change.state == "pending" and change.effective_on == TODAY
    assert _toluene_twa().data["value"] == 50.0 and _toluene_twa().version == 1
    result, limit, as_of = _toluene_verdict(clock.today())
    assert (result, limit["value"], limit["version"], as_of) == ("conform", 50.0, 1, TODAY.isoformat())

    with pytest.raises(Forbidden) as refused:
        verify_change(db.session, admin, change.id, "自己核对", now=clock.now())
    assert refused.value.code == "FOUR_EYES"
    assert refused.value.details[0]["message"] == "这项修改是您提交的，须由另一名管理员核验"
    db.session.rollback()
    assert _toluene_verdict(clock.today())[0] == "conform"


def test_a_verified_change_applies_only_from_its_effective_date(admins, clock):
    admin, second = admins
    effective = TODAY + dt.timedelta(days=11)  # 2026-12-01
    change = _propose_40(admin, clock, effective_on=effective)
    verify_change(db.session, second, change.id, "对照修改单原文核对", now=clock.now())
    db.session.commit()
    assert (change.state, change.number, change.in_force_from, change.applied_at) == ("verified", 2, effective, None)
    assert _toluene_verdict(clock.today())[1]["value"] == 50.0

    clock.set(f"{effective - dt.timedelta(days=1)}T23:59:00+08:00")  # 15:59 UTC on the 30th: still November in China
    result, limit, _ = _toluene_verdict(clock.today())
    assert (result, limit["value"], limit["version"]) == ("conform", 50.0, 1)

    clock.set(f"{effective}T00:01:00+08:00")
    result, limit, as_of = _toluene_verdict(clock.today())
    assert (result, limit["value"], limit["version"], limit["version_from"]) == \
        ("nonconform", 40.0, 2, effective.isoformat())
    assert limit["source_standard"] == "GBZ 2.1-2019" and limit["verified"] is True and as_of == effective.isoformat()

    # Devices receive it once housekeeping (or the next verification) applies it to the row.
    before = _toluene_twa().change_no
    assert [v.id for v in apply_due_versions(db.session, clock.now())] == [change.id]
    db.session.commit()
    row = _toluene_twa()
    assert (row.data["value"], row.version, row.version_from, row.data["verified_by"]) == \
        (40.0, 2, effective, SECOND_ADMIN_NAME)
    assert row.change_no > before
    assert apply_due_versions(db.session, clock.now()) == []


def test_verification_today_applies_at_once_and_the_history_is_kept(admins, clock):
    admin, second = admins
    change = _propose_40(admin, clock)
    clock.advance(hours=2)
    verify_change(db.session, second, change.id, "对照修改单原文核对", now=clock.now())
    db.session.commit()
    assert _toluene_twa().data["value"] == 40.0 and _toluene_twa().version == 2

    later = propose_change(db.session, second, "oel_limits", _toluene_twa().row_key, {"value": 45.5},
                           "再次更正", effective_on=None, now=clock.now())
    verify_change(db.session, admin, later.id, "核对", now=clock.now())
    db.session.commit()
    history = list_changes(db.session, admin, table="oel_limits", row_key=_toluene_twa().row_key)
    assert [(h["status"], h["version"].number) for h in history] == [("current", 3), ("superseded", 2)]
    first = history[1]
    assert first["proposed_by_name"] == "系统管理员" and first["decided_by_name"] == SECOND_ADMIN_NAME
    assert first["changes"] == [{"field": "value", "label_zh": "接触限值", "label_en": "Limit value",
                                 "before": 50.0, "after": 40.0}]
    trail = row_history(db.session, admin, "oel_limits", _toluene_twa().row_key)
    assert [(e["action"], e["user_name"]) for e in trail] == [
        ("update", "系统管理员"), ("approve", SECOND_ADMIN_NAME), ("apply", SECOND_ADMIN_NAME),
        ("update", SECOND_ADMIN_NAME), ("approve", "系统管理员"), ("apply", "系统管理员")]


def test_refusals_name_the_field_in_chinese(admins, clock):
    admin, second = admins
    key = _toluene_twa().row_key

    def refused(error, changes, reason="依据", **extra):
        with pytest.raises(error) as caught:
            propose_change(db.session, admin, "oel_limits", key, changes, reason, now=clock.now(),
                           **{"effective_on": None, **extra})
        db.session.rollback()
        return caught.value

    assert refused(Invalid, {"value": 40}, reason=" ").details[0]["field"] == "reason"
    error = refused(Invalid, {"value": "四十"})
    assert (error.details[0]["field"], error.details[0]["message"]) == ("value", "“接触限值”须为数字")
    error = refused(Invalid, {"limit_type": "MAC", "verified": True})
    assert {d["field"] for d in error.details} == {"limit_type", "verified"}
    assert error.details[0]["message"].startswith("“限值类型”不能在此修改")
    assert refused(Invalid, {"value": 50.0}).code == "NOTHING_CHANGED"
    error = refused(Invalid, {"value": 40}, effective_on=TODAY - dt.timedelta(days=1))
    assert error.details[0]["field"] == "effective_on"
    assert refused(Invalid, {"name_zh": ""}).details[0]["message"] == "“中文名称”不能为空"

    change = _propose_40(admin, clock)
    assert refused(Conflict, {"note": "另一项"}).code == "CHANGE_PENDING"
    withdraw_change(db.session, second, change.id, "数值与原文不符", now=clock.now())
    db.session.commit()
    with pytest.raises(Conflict) as late:
        verify_change(db.session, second, change.id, "核对", now=clock.now())
    assert late.value.code == "CHANGE_NOT_PENDING"
    db.session.rollback()
    assert _toluene_twa().data["value"] == 50.0


def test_a_new_row_is_not_used_before_it_is_verified(admins, clock):
    admin, second = admins
    xylene = next(data for data in table_data(db.session, "oel_limits") if data["key"] == "xylene")
    raw = {name: xylene[name] for name in ("key", "name_zh", "name_en", "cas", "category", "limit_type", "unit",
                                            "source_standard", "condition", "fraction")}
    raw.update(limit_type="MAC", value=300.0, note="试录")
    change = propose_row(db.session, admin, "oel_limits", raw, "地方标准", effective_on=None, now=clock.now())
    db.session.commit()
    mac = [r for r in evaluation_reference(db.session, clock.today()).oel_rows
           if r.key == "xylene" and r.limit_type == "MAC"]
    assert mac == [] and change.action == "create"
    verify_change(db.session, second, change.id, "核对", now=clock.now())
    db.session.commit()
    mac = [r for r in evaluation_reference(db.session, clock.today()).oel_rows
           if r.key == "xylene" and r.limit_type == "MAC"]
    assert [(r.value, r.version, r.verified) for r in mac] == [(300.0, 1, True)]


def test_every_field_of_every_table_has_a_chinese_label(app):
    for table in db.session.scalars(sa.select(ReferenceTable.name)):
        for field in table_fields(table, table_data(db.session, table)):
            assert field["label_zh"] != field["key"], (table, field["key"])
            assert any("\u4e00" <= ch <= "\u9fff" for ch in field["label_zh"]), (table, field["key"])


def test_an_amendment_closes_the_old_row_before_a_new_period_is_added(admins, clock):
    admin, second = admins
    old = _toluene_twa()
    new_period = {name: old.data[name] for name in ("key", "name_zh", "name_en", "cas", "category", "limit_type", "unit",
                                                    "source_standard", "condition", "fraction")}
    new_period.update(value=40.0, effective_from="2027-01-01", amendment="第3号修改单")
    with pytest.raises(Invalid) as overlap:
        propose_row(db.session, admin, "oel_limits", new_period, "第3号修改单", effective_on=None, now=clock.now())
    assert overlap.value.details[0]["field"] == "effective_to"
    assert "请先为那一行填写停止适用日期" in overlap.value.details[0]["message"]
    db.session.rollback()

    closing = propose_change(db.session, admin, "oel_limits", old.row_key, {"effective_to": "2027-01-01"},
                             "第3号修改单自 2027-01-01 起施行", effective_on=None, now=clock.now())
    verify_change(db.session, second, closing.id, "核对修改单", now=clock.now())
    added = propose_row(db.session, admin, "oel_limits", new_period, "第3号修改单", effective_on=None, now=clock.now())
    verify_change(db.session, second, added.id, "核对修改单", now=clock.now())
    db.session.commit()
    rows = evaluation_reference(db.session, clock.today()).oel_rows
    in_force = {(r.effective_from.isoformat() if r.effective_from else None, r.value) for r in rows
                if r.key == "toluene" and r.limit_type == "PC-TWA"}
    assert in_force == {(None, 50.0), ("2027-01-01", 40.0)}
    assert _toluene_verdict(clock.today())[1]["value"] == 50.0  # sampled 2026-04-08: the old period judges it
