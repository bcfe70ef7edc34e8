"""The evaluation per worker and post as the standards define it, with the arithmetic worked by hand.

Sources: GBZ/T 189.8-2007 and reference.md §2.2 (noise over several periods); GBZ 159-2004 and GBZ 2.1-2019
(C_TWA = Σ CᵢTᵢ / 8, mixtures Σ C/OEL ≤ 1); reference.md §2.1 (dust with free SiO₂ ≥ 10 % is 矽尘 in its band);
reference.md §2.3 (a result below the LOD is never 0 inside a C_TWA; the stated rule, default ½ LOD).
"""
import datetime as dt
import math

import pytest

from server.domain.evaluations import evaluate_visit
from server.domain.monitoring import apply_results
from server.domain.reference_store import evaluation_reference
from server.extensions import db
from tests.support import login

DAY = "2026-04-08"


def _visit(**extra):
    return {"sampling_date": DAY, "temperature_c": 20.0, "pressure_kpa": 101.3, **extra}


def _noise(measurement_id, level, hours, post="冲压工"):
    return {"id": measurement_id, "workshop": "冲压车间", "post": post, "measurement_point": f"{post}工位",
            "measurement_mode": "sound_level_meter", "laeq_1_db": level, "laeq_2_db": level, "laeq_3_db": level,
            "exposure_hours_per_day": hours, "days_per_week": 5, "calibrator_id": "AWA6021A-1",
            "calibration_before_db": 93.8, "calibration_after_db": 93.9}


def _sample(sample_id, hazard, start, end, **fields):
    return {"id": sample_id, "sample_type": "field", "workshop": "涂装车间", "post": "喷漆工", "hazard_key": hazard,
            "duration_type": "long_time", "limit_type": "pc_twa", "start_time": f"{DAY}T{start}:00+08:00",
            "end_time": f"{DAY}T{end}:00+08:00", "flow_before_l_min": 0.2, "flow_after_l_min": 0.2, **fields}


def _evaluate(client, **payload):
    response = login(client, "lh_sampler").post("/api/evaluations", json={"visit": _visit(), **payload})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_three_noise_periods_of_one_worker_give_one_lex_8h(client):
    # 4 h at 93, 2 h at 86, 2 h at 68 dB(A):
    #   L_EX,8h = 10·lg[(1/8)(4·10^9.3 + 2·10^8.6 + 2·10^6.8)]
    #           = 10·lg[(7.98105e9 + 7.96214e8 + 1.26191e7) / 8] = 10·lg(1.09874e9) = 90.41 dB(A) > 85 → 不符合
    body = _evaluate(client, noise_measurements=[_noise("n-1", 93, 4), _noise("n-2", 86, 2), _noise("n-3", 68, 2)])
    assert len(body["noise"]) == 1
    worker = body["noise"][0]
    assert sorted(worker["measurement_ids"]) == ["n-1", "n-2", "n-3"]
    expected = 10 * math.log10((4 * 10 ** 9.3 + 2 * 10 ** 8.6 + 2 * 10 ** 6.8) / 8)
    assert worker["evaluation"]["lex_8h"] == pytest.approx(expected, abs=0.005)
    assert round(worker["evaluation"]["lex_8h"], 1) == 90.4
    assert worker["evaluation"]["result"] == "nonconform"
    assert body["summary"]["nonconform"] == 1 and body["summary"]["conform"] == 0


def test_noise_of_two_posts_stays_two_verdicts(client):
    # 冲压工 8 h at 80 → L_EX,8h 80 (符合); 打磨工 8 h at 88 → 88 (不符合)
    body = _evaluate(client, noise_measurements=[_noise("a", 80, 8), _noise("b", 88, 8, post="打磨工")])
    verdicts = {n["post"]: n["evaluation"]["result"] for n in body["noise"]}
    assert verdicts == {"冲压工": "conform", "打磨工": "nonconform"}


def test_periods_longer_than_a_day_are_refused_with_the_reason(client):
    body = _evaluate(client, noise_measurements=[_noise("a", 80, 16), _noise("b", 82, 10)])
    assert body["noise"][0]["status"] == "invalid"
    assert "26 h" in body["noise"][0]["problem"]["message_zh"]


def test_a_sample_below_the_lod_enters_the_c_twa_as_half_the_lod(client):
    # Toluene at one post, exposure 8 h: 08:00–12:00 lab 2.0 mg/m³; 12:00–16:00 below the LOD of 0.4 mg/m³
    #   the stated rule: ½ LOD = 0.2 mg/m³ (never 0)
    #   mean = (2.0 × 240 + 0.2 × 240) / 480 = 1.1 mg/m³, standing for 8 h → C_TWA = 1.1 × 8 / 8 = 1.1 mg/m³
    samples = [_sample("t-1", "toluene", "08:00", "12:00", exposure_hours_per_day=8, lab_concentration_mg_m3=2.0),
               _sample("t-2", "toluene", "12:00", "16:00", exposure_hours_per_day=8, below_lod=True, lod_mg_m3=0.4)]
    group = _evaluate(client, samples=samples)["groups"][0]
    assert group["evaluation"]["c_twa"] == pytest.approx(1.1)
    assert "1/2 检出限" in group["below_lod_rule_zh"]


def test_a_lod_in_micrograms_from_the_laboratory_is_turned_into_a_concentration_by_the_sampled_volume(app):
    # 0.2 L/min × 240 min = 48 L at 20 ℃ / 101.3 kPa (standard state: V0 = 48 L); LOD 2.4 µg → 2.4 / 48 = 0.05 mg/m³
    #   ½ LOD = 0.025 mg/m³; with 3.0 mg/m³ for the other 4 h: (3.0 + 0.025) / 2 = 1.5125 mg/m³
    samples = [_sample("x-1", "xylene", "08:00", "12:00", exposure_hours_per_day=8),
               _sample("x-2", "xylene", "12:00", "16:00", exposure_hours_per_day=8)]
    results = {"x-1": {"result_kind": "concentration", "concentration_mg_m3": 3.0},
               "x-2": {"result_kind": "mass", "below_lod": True, "lod": 2.4}}
    body = evaluate_visit(_visit(), apply_results(samples, results), [],
                          evaluation_reference(db.session, dt.date(2026, 4, 9)))
    assert body["samples"]["x-2"]["lod_mg_m3"] == pytest.approx(0.05)
    assert body["groups"][0]["evaluation"]["c_twa"] == pytest.approx(1.5125)


def test_dust_with_measured_free_silica_of_25_percent_is_judged_as_silica_dust(client):
    # Picked on site as cement dust (PC-TWA total 4 mg/m³); the laboratory measured 25 % free SiO₂:
    #   ≥ 10 % → 矽尘, band 10–50 % (PC-TWA total 1 mg/m³). 1.5 mg/m³ conforms as cement dust, not as 矽尘.
    dust = _sample("d-1", "cement_dust", "08:00", "16:00", collector="filter_membrane", dust_fraction="total",
                   exposure_hours_per_day=8, lab_concentration_mg_m3=1.5, free_sio2_pct=25)
    group = _evaluate(client, samples=[dust])["groups"][0]
    assert group["hazard_key"] == "silica_dust" and group["condition"] == "sio2_10_50"
    assert group["reclassified_from"] == ["cement_dust"]
    assert group["evaluation"]["result"] == "nonconform"


def test_toluene_and_xylene_at_one_post_are_judged_together(client):
    # Toluene C_TWA 30 (PC-TWA 50) → 0.6, xylene 30 (PC-TWA 50) → 0.6: each conforms;
    #   Σ C/OEL = 0.6 + 0.6 = 1.2 > 1 → the mixture does not conform (GBZ 2.1-2019, same target organ)
    samples = [_sample("t", "toluene", "08:00", "16:00", exposure_hours_per_day=8, lab_concentration_mg_m3=30),
               _sample("x", "xylene", "08:00", "16:00", exposure_hours_per_day=8, lab_concentration_mg_m3=30)]
    body = _evaluate(client, samples=samples)
    assert {g["evaluation"]["result"] for g in body["groups"]} == {"conform"}
    mixture = body["mixtures"][0]
    assert mixture["hazard_keys"] == ["toluene", "xylene"] and mixture["index"] == pytest.approx(1.2)
    assert mixture["result"] == "nonconform" and "苯系物" in mixture["label_zh"]
    assert body["summary"]["nonconform"] == 1
