"""The PWA's online evaluation preview: the same arithmetic the server stores, through HTTP."""
import pytest

from tests.support import error_of, login


def _visit(date, **extra):
    return {"sampling_date": date, "temperature_c": 25.0, "pressure_kpa": 100.0, **extra}


def _sample(sample_id, **fields):
    base = {"id": sample_id, "sample_type": "field", "workshop": "涂装车间", "post": "喷漆工",
            "duration_type": "long_time", "limit_type": "pc_twa", "exposure_hours_per_day": 8}
    return {**base, **fields}


@pytest.mark.parametrize("date, verdict, limit", [("2021-06-01", "conform", 6.0), ("2026-04-08", "nonconform", 3.0)])
def test_benzene_judged_with_the_limit_in_force_on_the_sampling_date(client, date, verdict, limit):
    sample = _sample("b-1", hazard_key="benzene", start_time=f"{date}T08:00:00+08:00",
                     end_time=f"{date}T16:00:00+08:00", flow_before_l_min=0.1, flow_after_l_min=0.1,
                     lab_concentration_mg_m3=4.2)
    body = login(client, "lh_sampler").post("/api/evaluations", json={"visit": _visit(date), "samples": [sample]})
    assert body.status_code == 200, body.get_json()
    group = body.get_json()["groups"][0]
    assert group["evaluation"]["result"] == verdict
    twa = next(u for u in group["evaluation"]["limits_used"] if u["limit_type"] == "PC-TWA")
    assert twa["value"] == limit


def test_dust_from_filter_masses_with_blank_correction_and_standard_volume(client):
    # Field sample: 20 L/min × 15 min = 300 L at 25 ℃, 100.0 kPa
    #   V0 = 300 × 293 / (273 + 25) × 100.0 / 101.3 = 291.18 L
    # Filter gain 35.47 − 35.12 = 0.35 mg; blank filter gained 0.02 mg → 0.33 mg
    #   C = 0.33 mg / 291.18 L × 1000 = 1.1333 mg/m³ (total cement dust, PC-TWA 4)
    date = "2026-04-08"
    common = dict(hazard_key="cement_dust", collector="filter_membrane", dust_fraction="total",
                  duration_type="short_time", start_time=f"{date}T09:00:00+08:00",
                  end_time=f"{date}T09:15:00+08:00", flow_before_l_min=20.0, flow_after_l_min=20.0)
    field = _sample("d-1", filter_mass_before_mg=35.12, filter_mass_after_mg=35.47, **common)
    blank = {"id": "d-b", "sample_type": "blank", "hazard_key": "cement_dust", "collector": "filter_membrane",
             "filter_mass_before_mg": 34.90, "filter_mass_after_mg": 34.92}
    body = login(client, "lh_sampler").post("/api/evaluations",
                                            json={"visit": _visit(date), "samples": [field, blank]}).get_json()
    result = body["samples"]["d-1"]
    assert result["standard_volume_l"] == pytest.approx(300 * 293 / 298 * 100.0 / 101.3)
    assert result["concentration_mg_m3"] == pytest.approx(0.33 / (300 * 293 / 298 * 100.0 / 101.3) * 1000)
    assert result["source"] == "filter_mass"
    group = body["groups"][0]
    # One 15-min sample standing for 8 h of exposure: C_TWA = 1.1333 × 8 / 8
    assert group["evaluation"]["c_twa"] == pytest.approx(result["concentration_mg_m3"])
    assert group["evaluation"]["result"] == "conform"
    assert body["summary"]["blanks"] == 1


def test_sample_awaiting_the_laboratory_is_pending_not_judged(client):
    date = "2026-04-08"
    sample = _sample("p-1", hazard_key="toluene", start_time=f"{date}T08:00:00+08:00",
                     end_time=f"{date}T12:00:00+08:00", flow_before_l_min=0.2, flow_after_l_min=0.2)
    body = login(client, "lh_sampler").post("/api/evaluations", json={"visit": _visit(date), "samples": [sample]})
    assert body.get_json()["groups"][0]["status"] == "pending"
    assert body.get_json()["summary"]["pending"] == 1


def test_noise_from_three_readings_and_exposure_time(client):
    # Readings 88, 90, 92 dB(A): energy mean 10·lg((10^8.8 + 10^9.0 + 10^9.2)/3) = 10·lg(1.07195e9) = 90.30 dB(A)
    # 6 h of exposure: L_EX,8h = 90.30 + 10·lg(6/8) = 90.30 − 1.25 = 89.05 dB(A) > 85 → 不符合
    noise = {"id": "n-1", "post": "冲压工", "measurement_mode": "sound_level_meter", "laeq_1_db": 88, "laeq_2_db": 90,
             "laeq_3_db": 92, "exposure_hours_per_day": 6, "days_per_week": 5,
             "calibration_before_db": 93.8, "calibration_after_db": 93.9}
    body = login(client, "lh_sampler").post("/api/evaluations",
                                            json={"visit": _visit("2026-04-08"), "noise_measurements": [noise]})
    evaluation = body.get_json()["noise"][0]["evaluation"]
    assert evaluation["result"] == "nonconform"
    assert evaluation["lex_8h"] == pytest.approx(89.05, abs=0.01)


def test_inputs_are_checked_against_the_form_first(client):
    body = login(client, "lh_sampler").post("/api/evaluations", json={
        "visit": _visit("2026-04-08", temperature_c="hot"),
        "samples": [{"id": "x", "flow_before_l_min": -3}]})
    assert body.status_code == 422
    fields = {d["field"] for d in error_of(body)["details"]}
    assert "visit.temperature_c" in fields


def test_inspectors_do_not_run_sampling_evaluations(client):
    response = login(client, "lh_inspector").post("/api/evaluations", json={"visit": _visit("2026-04-08")})
    assert response.status_code == 403
