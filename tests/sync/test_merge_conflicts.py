"""Two tablets edit the same records offline: merged where they can be, conflicts kept where they cannot."""
import sqlalchemy as sa

from server.extensions import db
from server.models import Conflict, Record
from tests.support import enterprise_in, login
from tests.sync.tablets import Tablet, sample_fields, visit_fields


def _two_tablets_sharing_a_visit(client, **visit_extra):
    first = Tablet(login(client, "lh_sampler"))
    second = Tablet(login(client, "lh_sampler2"))
    visit = first.create("sampling_visit", visit_fields(enterprise_in("临河区").id, **visit_extra))
    sample = first.create("sample", sample_fields("S-1"), parent=visit)
    first.push()
    first.pull()
    second.pull()
    return first, second, visit, sample


def test_edits_of_different_fields_are_merged(client):
    first, second, visit, _ = _two_tablets_sharing_a_visit(client)
    first.update(visit, {"temperature_c": 26.5})
    second.update(visit, {"humidity_pct": 71})
    assert first.push()["results"][0]["status"] == "applied"
    assert second.push()["results"][0]["status"] == "applied"
    data = db.session.get(Record, visit).data
    assert data["temperature_c"] == 26.5 and data["humidity_pct"] == 71
    assert not db.session.scalars(sa.select(Conflict)).all()


def test_same_field_different_values_keeps_the_server_value_and_both_values(client):
    first, second, visit, _ = _two_tablets_sharing_a_visit(client, production_status="正常生产")
    first.update(visit, {"production_status": "满负荷生产"})
    second.update(visit, {"production_status": "减产50%"})
    first.push()
    result = second.push()["results"][0]
    assert result["status"] == "conflict"
    assert result["conflicts"][0]["field"] == "production_status"
    assert result["conflicts"][0]["server_value"] == "满负荷生产"
    record = db.session.get(Record, visit)
    assert record.data["production_status"] == "满负荷生产" and record.conflict_open is True
    supervisor = login(client, "lh_cdc_supervisor")
    listed = supervisor.get("/api/sync/conflicts").get_json()["items"]
    assert len(listed) == 1
    item = listed[0]
    assert item["server_value"] == "满负荷生产" and item["client_value"] == "减产50%"
    assert item["client_device_id"] == second.device_id and item["server_device_id"] == first.device_id
    # Both tablets learn about it on their next pull.
    for tablet in (first, second):
        kinds = {c["kind"] for c in tablet.pull()}
        assert "conflict" in kinds
        assert tablet.replica[visit]["payload"]["conflict_open"] is True


def test_same_field_same_value_is_not_a_conflict(client):
    first, second, visit, _ = _two_tablets_sharing_a_visit(client)
    first.update(visit, {"wind_speed_m_s": 0.5})
    second.update(visit, {"wind_speed_m_s": 0.5})
    first.push()
    assert second.push()["results"][0]["status"] == "applied"
    assert db.session.scalar(sa.select(sa.func.count(Conflict.id))) == 0


def test_a_device_editing_its_own_field_twice_before_pulling_is_not_a_conflict(client):
    tablet = Tablet(login(client, "lh_sampler"))
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    tablet.push()
    tablet.update(visit, {"temperature_c": 23})
    tablet.push()
    tablet.update(visit, {"temperature_c": 24})  # base still from before the first edit: not pulled yet
    assert tablet.push()["results"][0]["status"] == "applied"
    assert db.session.get(Record, visit).data["temperature_c"] == 24


def test_delete_after_someone_elses_edit_is_a_conflict_not_a_silent_loss(client):
    first, second, _, sample = _two_tablets_sharing_a_visit(client)
    first.update(sample, {"notes": "泵流量复核"})
    first.push()
    second.delete(sample)
    result = second.push()["results"][0]
    assert result["status"] == "conflict" and result["conflicts"][0]["kind"] == "delete_edit"
    stored = db.session.get(Record, sample)
    assert stored.deleted is False and stored.data["notes"] == "泵流量复核"


def test_edit_after_delete_is_kept_as_a_conflict_and_does_not_resurrect(client):
    first, second, _, sample = _two_tablets_sharing_a_visit(client)
    first.delete(sample)
    first.push()
    second.update(sample, {"notes": "补充说明"})
    result = second.push()["results"][0]
    assert result["status"] == "conflict" and result["conflicts"][0]["kind"] == "edit_after_delete"
    assert db.session.get(Record, sample).deleted is True
    conflict = db.session.scalar(sa.select(Conflict))
    assert conflict.client_value["value"] == {"notes": "补充说明"}


def test_create_sync_delete_sync_never_resurrects(client):
    first, second, visit, sample = _two_tablets_sharing_a_visit(client)
    assert second.replica[sample]["deleted"] is False
    first.delete(sample)
    first.push()
    second.pull()
    assert second.replica[sample]["deleted"] is True
    # A stale create of the same record (e.g. replayed from an old backup) does not bring it back.
    second.create("sample", sample_fields("S-1"), parent=visit, record_id=sample)
    assert second.push()["results"][0]["status"] == "conflict"
    assert db.session.get(Record, sample).deleted is True
    first.pull()
    assert first.replica[sample]["deleted"] is True


def test_deleting_a_visit_removes_its_samples_too(client):
    first, second, visit, sample = _two_tablets_sharing_a_visit(client)
    first.delete(visit)
    first.push()
    second.pull()
    assert second.replica[visit]["deleted"] and second.replica[sample]["deleted"]


def test_device_clocks_skewed_by_days_give_the_same_outcome(client):
    outcomes = []
    for early, late in (("2026-04-01T08:00:00+08:00", "2026-04-15T08:00:00+08:00"),
                        ("2026-04-15T08:00:00+08:00", "2026-04-01T08:00:00+08:00")):
        first, second, visit, _ = _two_tablets_sharing_a_visit(client)
        first.device_time, second.device_time = early, late
        first.update(visit, {"checker_name": "赵丽"})
        second.update(visit, {"checker_name": "孙伟"})
        first.push()
        status = second.push()["results"][0]["status"]
        outcomes.append((status, db.session.get(Record, visit).data["checker_name"]))
    assert outcomes == [("conflict", "赵丽"), ("conflict", "赵丽")]


def test_supervisor_resolution_syncs_out_to_both_tablets(client):
    first, second, visit, _ = _two_tablets_sharing_a_visit(client)
    first.update(visit, {"escort_name": "马晓东"})
    second.update(visit, {"escort_name": "马小东"})
    first.push()
    second.push()
    supervisor = login(client, "lh_cdc_supervisor")
    conflict = supervisor.get("/api/sync/conflicts").get_json()["items"][0]
    resolved = supervisor.post(f"/api/sync/conflicts/{conflict['id']}/resolve", json={"choice": "client"})
    assert resolved.status_code == 200 and resolved.get_json()["status"] == "resolved"
    again = supervisor.post(f"/api/sync/conflicts/{conflict['id']}/resolve", json={"choice": "server"})
    assert again.status_code == 409
    for tablet in (first, second):
        tablet.pull()
        assert tablet.replica[visit]["data"]["escort_name"] == "马小东"
        assert tablet.replica[visit]["payload"]["conflict_open"] is False
    assert supervisor.get("/api/sync/conflicts").get_json()["items"] == []


def test_resolving_with_an_invalid_value_is_refused_and_changes_nothing(client):
    first, second, visit, _ = _two_tablets_sharing_a_visit(client)
    first.update(visit, {"humidity_pct": 40})
    second.update(visit, {"humidity_pct": 45})
    first.push()
    second.push()
    supervisor = login(client, "lh_cdc_supervisor")
    conflict = supervisor.get("/api/sync/conflicts").get_json()["items"][0]
    response = supervisor.post(f"/api/sync/conflicts/{conflict['id']}/resolve", json={"choice": "value", "value": 250})
    assert response.status_code == 422
    assert db.session.get(Record, visit).data["humidity_pct"] == 40
    assert supervisor.get("/api/sync/conflicts").get_json()["items"][0]["status"] == "open"


def test_another_districts_supervisor_sees_no_conflicts(client):
    first, second, visit, _ = _two_tablets_sharing_a_visit(client)
    first.update(visit, {"task_no": "A"})
    second.update(visit, {"task_no": "B"})
    first.push()
    second.push()
    assert login(client, "dg_cdc_supervisor").get("/api/sync/conflicts").get_json()["items"] == []
