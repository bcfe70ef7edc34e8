"""KPIs on a small, fixed district dataset, each figure worked out by hand below."""
import datetime as dt

from tests.issuing.inspections import complete_inspection
from tests.support import BUSINESS_NOW, district, error_of, login
from tests.sync.tablets import (HANDED_IN_ASSISTANCE, HANDED_IN_FOLLOWUP, HANDED_IN_VISIT, Tablet, hand_in_visit,
                                 sample_fields, visit_fields)

TODAY = dt.datetime.fromisoformat(BUSINESS_NOW).date()  # the business clock every test starts at


def _enterprise_ids(caller, count):
    items = caller.get("/api/enterprises?per_page=50").get_json()["items"]
    return [item["id"] for item in items if item["region_name"] == "临河区"][:count]


def _sampling(client, enterprises):
    tablet = Tablet(login(client, "lh_sampler"))
    # Visit 1, sampled 10 days ago: benzene 4.2 mg/m³ at 喷漆工 (PC-TWA 3 → 不符合), toluene 20 (PC-TWA 50 → 符合).
    day1 = (TODAY - dt.timedelta(days=10)).isoformat()
    first = tablet.create("sampling_visit", visit_fields(enterprises[0], sampling_date=day1, **HANDED_IN_VISIT))
    for code, hazard, value in (("K-001", "benzene", 4.2), ("K-002", "toluene", 20.0)):
        tablet.create("sample", sample_fields(code, hazard_key=hazard, lab_concentration_mg_m3=value,
                                              start_time=f"{day1}T08:00:00+08:00", end_time=f"{day1}T16:00:00+08:00"),
                      parent=first)
    tablet.create("sample", {"sample_code": "K-003", "sample_type": "blank", "hazard_key": "benzene",
                             "collector": "activated_carbon_tube"}, parent=first)
    hand_in_visit(tablet, first)
    # Visit 2, sampled 45 days ago: cement dust 1.0 (PC-TWA 4 → 符合) and noise L_EX,8h 89 dB(A) (> 85 → 不符合).
    day2 = (TODAY - dt.timedelta(days=45)).isoformat()
    second = tablet.create("sampling_visit", visit_fields(enterprises[1], sampling_date=day2, **HANDED_IN_VISIT))
    tablet.create("sample", sample_fields("K-004", hazard_key="cement_dust", collector="filter_membrane",
                                          dust_fraction="total", lab_concentration_mg_m3=1.0,
                                          start_time=f"{day2}T08:00:00+08:00", end_time=f"{day2}T16:00:00+08:00"),
                  parent=second)
    tablet.create("noise_measurement", {"post": "冲压工", "measurement_point": "冲压线1号位", "measurement_mode": "dosimeter",
                                        "dosimeter_lex_8h_db": 89, "calibration_before_db": 94.0,
                                        "calibration_after_db": 94.1, "calibrator_id": "CAL-02",
                                        "exposure_hours_per_day": 8, "days_per_week": 5}, parent=second)
    hand_in_visit(tablet, second)
    results = tablet.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, [r for r in results if r["status"] != "applied"]


def _followups(client):
    tablet = Tablet(login(client, "lh_followup"))
    for case, status in (("FU-001", "alive"), ("FU-002", "dead")):
        extra = {"death_date": TODAY.isoformat(), "death_cause": "pneumoconiosis"} if status == "dead" else {}
        record = tablet.create("followup", {**HANDED_IN_FOLLOWUP, "case_no": case, "patient_name": "患者" + case[-1],
                                            "followup_date": TODAY.isoformat(), "vital_status": status, **extra})
        tablet.submit(record)
    results = tablet.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, [r for r in results if r["status"] != "applied"]


def _assistance(client, enterprises):
    tablet = Tablet(login(client, "lh_assistant"))
    visits = ((enterprises[0], 30, "not_done", 10, 4), (enterprises[0], 5, "done", 10, 10),
              (enterprises[1], 20, "done", 6, 3))
    for enterprise, days_ago, declared, due, examined in visits:
        note = {"declaration_note": "尚未申报"} if declared != "done" else {}
        record = tablet.create("assistance_visit", {**HANDED_IN_ASSISTANCE, "enterprise_id": enterprise,
                                                    "visit_date": (TODAY - dt.timedelta(days=days_ago)).isoformat(),
                                                    "declaration_status": declared, "workers_due_exam": due,
                                                    "workers_examined": examined, **note})
        tablet.submit(record)
    results = tablet.push()["results"]
    assert {r["status"] for r in results} == {"applied"}, [r for r in results if r["status"] != "applied"]


def test_district_kpis_equal_the_hand_computed_figures(client):
    supervisor = login(client, "lh_supervisor")
    enterprises = _enterprise_ids(supervisor, 3)
    _sampling(client, enterprises)
    _followups(client)
    _assistance(client, enterprises)
    inspector = login(client, "lh_inspector")
    tablet, first_inspection, _ = complete_inspection(client, inspector)
    _, second_inspection, _ = complete_inspection(client, inspector, tablet=tablet)  # same enterprise: counted once
    tablet.submit(first_inspection)
    tablet.submit(second_inspection)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    period = f"date_from={(TODAY - dt.timedelta(days=365)).isoformat()}&date_to={TODAY.isoformat()}"
    body = login(client, "lh_cdc_supervisor").get(f"/api/kpis?{period}").get_json()  # the CDC's own work
    supervision = supervisor.get(f"/api/kpis?{period}").get_json()  # the 执法大队's, with the shared monitoring

    sampling = body["sampling"]
    assert (sampling["visits"], sampling["enterprises_monitored"], sampling["samples"], sampling["blanks"]) == (2, 2, 3, 1)
    # Posts evaluated: benzene, toluene, cement dust, noise = 4; 不符合: benzene and noise = 2 → 50.0 %.
    assert (sampling["posts_evaluated"], sampling["posts_nonconform"], sampling["exceedance_pct"]) == (4, 2, 50.0)
    by_hazard = {row["key"]: (row["evaluated"], row["nonconform"]) for row in sampling["by_hazard"]}
    assert by_hazard == {"benzene": (1, 1), "toluene": (1, 0), "cement_dust": (1, 0), "noise": (1, 1)}
    # Neither is entered into the national system yet: the visit sampled 45 days ago is past its month (counted as
    # not entered in time: 0 of 1), the one sampled 10 days ago still has time (not counted yet).
    assert (sampling["entered"], sampling["entry_overdue"], sampling["entry_days_median"]) == (0, 1, None)
    assert sampling["entered_within_month_pct"] == 0.0

    assert supervision["sampling"] == sampling  # monitoring results are shared with the supervision agency
    assert body["enforcement"]["inspections"] == 0  # inspections are not the CDC's work
    assert supervision["followup"]["followups"] == 0 and supervision["assistance"]["enterprises"] == 0
    enforcement = supervision["enforcement"]
    # 2 inspections of one enterprise out of 临河区's 15 registered: 1 / 15 = 6.7 % against a target of 80 %.
    assert (enforcement["inspections"], enforcement["enterprises_inspected"]) == (2, 1)
    assert (enforcement["registry_enterprises"], enforcement["coverage_pct"]) == (15, 6.7)
    assert enforcement["coverage_meets_target"] is False

    rate = body["followup"].pop("rate")
    assert body["followup"] == {"followups": 2, "patients": 2, "outcomes": {"alive": 1, "dead": 1}}
    # No patient's file is kept in the register yet: nobody is due, and the rate says so instead of 0 %.
    assert (rate["due"], rate["rate_pct"], rate["target_pct"]) == (0, None, 90)

    rates = body["assistance"]
    # Baseline (first visits): enterprise 1 had not declared, enterprise 2 had → 1 of 2 = 50 %;
    # exams 4 + 3 of 10 + 6 due → 7/16 = 43.75 %.
    assert rates["enterprises"] == 2
    assert rates["baseline"]["declaration_rate"]["value_pct"] == 50.0
    assert rates["baseline"]["health_exam_rate_workers"]["value_pct"] == 7 / 16 * 100
    # Latest: enterprise 1 declared now, enterprise 2 already had → 2/2 = 100 %; exams 10 + 3 of 16 = 81.25 %.
    assert rates["latest"]["declaration_rate"]["value_pct"] == 100.0
    assert rates["latest"]["health_exam_rate_workers"]["value_pct"] == 13 / 16 * 100

    districts = {d["name"]: d for d in body["districts"]}
    assert set(districts) == {"临河区"} and districts["临河区"]["sampling"]["visits"] == 2
    teams = {t["name"]: t for t in body["teams"] + supervision["teams"]}
    assert teams["采样一组"]["sampling"]["visits"] == 2 and teams["执法一组"]["enforcement"]["inspections"] == 2


def test_another_district_sees_only_its_own_figures(client):
    supervisor = login(client, "lh_supervisor")
    _sampling(client, _enterprise_ids(supervisor, 2))
    period = f"date_from={(TODAY - dt.timedelta(days=365)).isoformat()}&date_to={TODAY.isoformat()}"
    other = login(client, "dg_supervisor").get(f"/api/kpis?{period}").get_json()
    assert other["sampling"]["visits"] == 0 and other["enforcement"]["registry_enterprises"] == 15
    city = login(client, "city_supervisor").get(f"/api/kpis?{period}&region_id={district('临河区').id}").get_json()
    assert city["sampling"]["visits"] == 2


def test_a_reversed_period_is_refused(client):
    response = login(client, "lh_supervisor").get("/api/kpis?date_from=2026-05-01&date_to=2026-04-01")
    assert response.status_code == 422
    assert [(d["field"], d["message"]) for d in error_of(response)["details"]] == [("date_to", "开始日期不能晚于结束日期")]


def test_drafts_never_count_returned_records_are_shown_apart_and_issuing_on_site_hands_a_record_in(client):
    import uuid

    from tests.issuing.inspections import complete_inspection as inspection_on_site
    period = f"date_from={(TODAY - dt.timedelta(days=365)).isoformat()}&date_to={TODAY.isoformat()}"
    supervisor, cdc = login(client, "lh_supervisor"), login(client, "lh_cdc_supervisor")
    follow = Tablet(login(client, "lh_followup"))
    draft = follow.create("followup", {"case_no": "FU-D", "patient_name": "患者丁", "followup_date": TODAY.isoformat(),
                                       "vital_status": "alive"})  # half filled, never handed in
    handed = follow.create("followup", {**HANDED_IN_FOLLOWUP, "case_no": "FU-E", "patient_name": "患者戊",
                                        "followup_date": TODAY.isoformat(), "vital_status": "alive"})
    follow.submit(handed)
    follow.push()
    body = cdc.get(f"/api/kpis?{period}").get_json()
    assert body["followup"]["followups"] == 1 and draft
    cdc.post(f"/api/records/{handed}/review", json={"action": "return", "comment": "缺随访方式说明"})
    body = cdc.get(f"/api/kpis?{period}").get_json()
    assert body["followup"]["followups"] == 0 and body["counted"]["returned"]["followup"] == 1

    inspector = login(client, "lh_inspector")
    _, inspection, _ = inspection_on_site(client, inspector)
    assert supervisor.get(f"/api/kpis?{period}").get_json()["enforcement"]["inspections"] == 0
    issued = inspector.post("/api/documents", json={"id": str(uuid.uuid4()), "record_id": inspection,
                                                    "doc_type": "supervision_opinion"})
    assert issued.status_code == 201
    assert supervisor.get(f"/api/kpis?{period}").get_json()["enforcement"]["inspections"] == 1
    queue = supervisor.get("/api/records?status=submitted").get_json()["items"]
    assert inspection in {item["id"] for item in queue}  # it reaches the reviewer with its document
