"""The pneumoconiosis patients' register 一人一档 over HTTP: files kept by the follow-up worker, follow-ups attached
to them, who is due and overdue today, the 随访率 of a period against its target, and the boundaries (another
district's file, a kind that is not a patient, the supervision agency)."""
import datetime as dt
import io

from openpyxl import load_workbook

from tests.support import BUSINESS_NOW, login
from tests.sync.tablets import HANDED_IN_FOLLOWUP, Tablet, new_id

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()
PATIENT = {"sex": "male", "pneumoconiosis_type": "silicosis", "stage": "stage_1", "diagnosis_date": "2015-06-01",
           "status": "alive"}


def _file(tablet, case_no, name, registered_on, **extra):
    return tablet.create("patient", {**PATIENT, "case_no": case_no, "patient_name": name,
                                     "registered_on": registered_on.isoformat(), **extra})


def _followup(tablet, patient_id, case_no, name, day):
    record = tablet.create("followup", {**HANDED_IN_FOLLOWUP, "patient_id": patient_id, "case_no": case_no,
                                        "patient_name": name, "followup_date": day.isoformat(),
                                        "vital_status": "alive"})
    tablet.submit(record)
    return record


def _register(client):
    """Four files of 临河区: followed 20 days ago, followed 13 months ago, never followed, died 500 days ago."""
    tablet = Tablet(login(client, "lh_followup"))
    recent = _file(tablet, "LH-001", "王建国", TODAY - dt.timedelta(days=400))
    _followup(tablet, recent, "LH-001", "王建国", TODAY - dt.timedelta(days=20))
    lapsed = _file(tablet, "LH-002", "李长顺", TODAY - dt.timedelta(days=800))
    _followup(tablet, lapsed, "LH-002", "李长顺", TODAY - dt.timedelta(days=400))
    never = _file(tablet, "LH-003", "赵德明", TODAY - dt.timedelta(days=60))
    dead = _file(tablet, "LH-004", "孙福田", TODAY - dt.timedelta(days=900), status="dead",
                 status_date=(TODAY - dt.timedelta(days=500)).isoformat())
    results = tablet.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, [r for r in results if r["status"] != "applied"]
    return tablet, {"recent": recent, "lapsed": lapsed, "never": never, "dead": dead}


def test_the_register_says_who_is_due_and_overdue_today(client):
    _, ids = _register(client)
    worker = login(client, "lh_followup")
    body = worker.get("/api/patients").get_json()
    lines = {line["case_no"]: line for line in body["items"]}
    assert lines["LH-001"]["state"] == "followed" and lines["LH-001"]["state_zh"] == "已随访"
    assert lines["LH-001"]["last_followup"] == (TODAY - dt.timedelta(days=20)).isoformat()
    # Due a cycle (12 months, reference data) after the last follow-up.
    assert lines["LH-001"]["due_on"] == (TODAY - dt.timedelta(days=20)).replace(year=TODAY.year + 1).isoformat()
    assert lines["LH-002"]["state"] == "overdue" and lines["LH-002"]["state_zh"] == "逾期未随访"
    assert lines["LH-003"]["state"] == "overdue"  # never followed since the file was opened
    assert lines["LH-004"]["state"] == "closed" and lines["LH-004"]["status_zh"] == "死亡"
    assert lines["LH-001"]["stage_zh"] == "壹期" and lines["LH-001"]["worker"]
    # Most urgent first, and the counts over the register.
    assert [line["state"] for line in body["items"]][:2] == ["overdue", "overdue"]
    assert body["summary"] == {"overdue": 2, "due": 0, "followed": 1, "closed": 1}
    overdue = worker.get("/api/patients?state=overdue").get_json()
    assert {line["case_no"] for line in overdue["items"]} == {"LH-002", "LH-003"} and overdue["total"] == 2
    assert [line["case_no"] for line in worker.get("/api/patients?q=赵德").get_json()["items"]] == ["LH-003"]


def test_the_follow_up_rate_of_a_year_counts_the_patients_due_and_those_followed(client):
    _register(client)
    cdc = login(client, "lh_cdc_supervisor")
    year = f"date_from={(TODAY - dt.timedelta(days=364)).isoformat()}&date_to={TODAY.isoformat()}"
    rate = cdc.get(f"/api/kpis?{year}").get_json()["followup"]["rate"]
    # Due in the year: the three living patients (the one who died before the year is no longer followed);
    # followed in it: 王建国 only (李长顺's last follow-up was 400 days ago) → 1 / 3.
    assert (rate["due"], rate["followed"], rate["rate_pct"]) == (3, 1, 33.3)
    assert rate["target_pct"] == 90 and rate["meets_target"] is False
    # The report the 科长 downloads carries it too.
    with cdc.get(f"/api/kpis/report.xlsx?{year}") as response:
        book = load_workbook(io.BytesIO(response.data))
    overall = {row[0]: row[1:] for row in book["总体指标"].iter_rows(min_row=2, values_only=True)}
    assert overall["尘肺病患者随访率（目标≥90%）（%）"][0] == 33.3 and overall["本期应随访患者数（患者档案）"][0] == 3
    # The supervision agency does not follow patients up: no rate, rather than 0 %.
    supervision = login(client, "lh_supervisor").get(f"/api/kpis?{year}").get_json()
    assert supervision["followup"]["rate"] is None


def test_a_follow_up_names_only_a_patient_file_of_its_own_jurisdiction(client):
    tablet, ids = _register(client)
    other = Tablet(login(client, "dg_followup"))
    foreign = other.create("followup", {**HANDED_IN_FOLLOWUP, "patient_id": ids["recent"], "case_no": "LH-001",
                                        "patient_name": "王建国", "followup_date": TODAY.isoformat(),
                                        "vital_status": "alive"})
    result = other.push()["results"][0]
    assert result["status"] == "rejected" and result["error"]["code"] == "REGISTER_NOT_FOUND", result
    assert foreign not in {line["id"] for line in login(client, "dg_followup").get("/api/patients").get_json()["items"]}
    # A follow-up cannot name a record that is not a patient's file, nor an id that does not exist.
    own = tablet.create("followup", {**HANDED_IN_FOLLOWUP, "patient_id": new_id(), "case_no": "LH-009",
                                     "patient_name": "某某", "followup_date": TODAY.isoformat(), "vital_status": "alive"})
    result = tablet.push()["results"][-1]
    assert result["status"] == "rejected" and result["error"]["details"][0]["field"] == "patient_id"
    assert own


def test_a_file_is_kept_up_to_date_not_handed_in(client):
    tablet, ids = _register(client)
    tablet.submit(ids["never"])
    result = tablet.push()["results"][-1]
    assert result["status"] == "rejected" and result["error"]["code"] == "REGISTER_NOT_REVIEWED"
    queue = login(client, "lh_cdc_supervisor").get("/api/records?per_page=200").get_json()
    assert not any(line["entity"] == "patient" for line in queue["items"])
    # The files travel to the follow-up workers' tablets (offline), not to a sampler's.
    pulled = Tablet(login(client, "lh_followup", device_id=new_id())).pull(protocol=2)
    assert {c["id"] for c in pulled if c.get("entity") == "patient"} == set(ids.values())
    sampler = Tablet(login(client, "lh_sampler", device_id=new_id())).pull(protocol=2)
    assert not any(c.get("entity") == "patient" for c in sampler)
    assert login(client, "lh_inspector").get("/api/patients").status_code == 403
