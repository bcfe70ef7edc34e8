"""Exposure evaluation as a CDC evaluator does it, with the arithmetic written out."""

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from server.domain.errors import Invalid
from server.domain.exposure import (
    Measurement,
    Segment,
    ShortTermSample,
    c_ste,
    c_twa,
    evaluate_substance,
)
from server.domain.grades import action_level_reached, exposure_grade
from server.domain.judgements import CONFORM, NONCONFORM, UNDETERMINED, format_sig, round_sig
from server.domain.mixtures import evaluate_mixture
from server.domain.oel import load_oel_rows, silica_condition
from server.domain.peaks import Excursion, default_peak_rules, excursion_multiple, peak_rule_for

CST = timezone(timedelta(hours=8))
BEFORE_AMENDMENT = date(2021, 6, 1)
AFTER_AMENDMENT = date(2023, 3, 1)
ERA_2007 = date(2018, 6, 1)


@pytest.fixture(scope="module")
def rows():
    return load_oel_rows()


def full_shift(concentration):
    return Measurement(segments=(Segment(concentration, 8),))


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CST)


# --- C_TWA, C_STE ---------------------------------------------------------------------------------

def test_three_segment_twa_counts_unexposed_time_as_zero(rows):
    # 2.0 mg/m³ × 3 h + 4.0 mg/m³ × 2 h + 0 × 3 h (canteen, office) → (6 + 8 + 0) / 8 = 1.75 mg/m³
    segments = (Segment(2.0, 3), Segment(4.0, 2), Segment(0.0, 3))
    assert c_twa(segments) == 1.75
    # Leaving the unexposed 3 h out gives the same C_TWA: the divisor is always 8 h.
    assert c_twa(segments[:2]) == 1.75
    evaluation = evaluate_substance(rows, "toluene", AFTER_AMENDMENT, Measurement(segments=segments))
    assert evaluation.c_twa == 1.75
    assert evaluation.result == CONFORM
    # 1.75 / 50 = 3.5 % of PC-TWA → grade Ⅰ, below the action level
    assert evaluation.ratio == pytest.approx(0.035)
    assert evaluation.grade == "Ⅰ"
    assert evaluation.action_level_reached is False


def test_c_ste_of_one_window_and_of_a_short_exposure():
    # Two samples in one 15-min window: (120 × 10 + 60 × 5) / 15 = 1500 / 15 = 100 mg/m³
    assert c_ste([ShortTermSample(120, 10), ShortTermSample(60, 5)]) == pytest.approx(100.0)
    # Exposed only 6 min: 150 × 6 / 15 = 60 mg/m³ (the rest of the 15 min counts as 0)
    assert c_ste([ShortTermSample(150, 6)]) == pytest.approx(60.0)
    with pytest.raises(Invalid):
        c_ste([ShortTermSample(10, 10), ShortTermSample(10, 10)])


def test_stel_is_checked_on_the_worst_window(rows):
    # Toluene PC-STEL 100: window A = (120 × 10 + 60 × 5) / 15 = 100 (at the limit), window B = 130
    short = (ShortTermSample(120, 10, "A"), ShortTermSample(60, 5, "A"), ShortTermSample(130, 15, "B"))
    evaluation = evaluate_substance(rows, "toluene", AFTER_AMENDMENT,
                                    Measurement(segments=(Segment(30, 8),), short_term=short))
    assert evaluation.c_ste == pytest.approx(130.0)
    assert evaluation.result == NONCONFORM
    stel = next(c for c in evaluation.checks if c.limit_type == "PC-STEL")
    assert stel.result == NONCONFORM and stel.limit_value == 100
    assert "C_STE 130 mg/m³ > PC-STEL 100" in evaluation.reason_zh


# --- benzene amendment ------------------------------------------------------------------------------

def test_same_benzene_sample_conforms_before_the_amendment_and_not_after(rows):
    # One full-shift personal sample of 4.0 mg/m³ and a 15-min sample of 8.0 mg/m³ at the paint line.
    measurement = Measurement(segments=(Segment(4.0, 8),), short_term=(ShortTermSample(8.0, 15),))
    before = evaluate_substance(rows, "benzene", BEFORE_AMENDMENT, measurement)
    after = evaluate_substance(rows, "benzene", AFTER_AMENDMENT, measurement)

    assert before.result == CONFORM and before.result_zh == "符合"  # 4 ≤ 6 and 8 ≤ 10
    assert {(u.limit_type, u.value, u.amendment) for u in before.limits_used} == {
        ("PC-TWA", 6.0, None), ("PC-STEL", 10.0, None)}

    assert after.result == NONCONFORM and after.result_zh == "不符合"  # 4 > 3 and 8 > 6
    assert {(u.limit_type, u.value, u.amendment) for u in after.limits_used} == {
        ("PC-TWA", 3.0, "第1号修改单"), ("PC-STEL", 6.0, "第1号修改单")}
    assert all(u.verified is False for u in after.limits_used)
    assert "第1号修改单" in after.reason_zh
    # 4 / 3 = 133 % of PC-TWA → grade Ⅳ
    assert after.grade == "Ⅳ" and before.grade == "Ⅲ"  # 8/10 = 80 % is the highest ratio before


# --- peak exposure (2019) and excursion multiples (2007) ----------------------------------------------

def tce_excursions(day, specs):
    """Trichloroethylene (PC-TWA 30, no PC-STEL) excursions: (hour, minute, minutes, mg/m³)."""
    return tuple(Excursion(at(day, h, m), minutes, conc) for h, m, minutes, conc in specs)


def test_five_excursions_above_three_times_twa_break_the_peak_rule(rows):
    # 3 × 30 = 90 mg/m³: five 10-min excursions at 100 mg/m³, 2 h apart (degreasing batches).
    # C_TWA itself is 20 ≤ 30: only the peak rule fails (5 > 4 per day).
    excursions = tce_excursions(AFTER_AMENDMENT, [(8 + 2 * i, 0, 10, 100) for i in range(5)])
    evaluation = evaluate_substance(rows, "trichloroethylene", AFTER_AMENDMENT,
                                    Measurement(segments=(Segment(20, 8),), excursions=excursions))
    twa = next(c for c in evaluation.checks if c.limit_type == "PC-TWA")
    assert twa.result == CONFORM
    assert evaluation.peak.rule == "peak_exposure"
    assert evaluation.peak.trigger == 90 and evaluation.peak.ceiling == 150
    assert evaluation.peak.count_above_trigger == 5
    assert evaluation.peak.violations == ("too_many",)
    assert evaluation.result == NONCONFORM
    assert "5 次，超过每日 4 次" in evaluation.reason_zh


@pytest.mark.parametrize("specs, violation", [
    ([(9, 0, 10, 160)], "above_ceiling"),                   # 160 > 5 × 30 = 150
    ([(9, 0, 20, 100)], "too_long"),                        # 20 min > 15 min
    ([(9, 0, 10, 100), (9, 50, 10, 100)], "too_close"),     # 09:10 → 09:50 is 40 min < 60 min
])
def test_each_peak_rule_limit(rows, specs, violation):
    evaluation = evaluate_substance(rows, "trichloroethylene", AFTER_AMENDMENT, Measurement(
        segments=(Segment(20, 8),), excursions=tce_excursions(AFTER_AMENDMENT, specs)))
    assert evaluation.result == NONCONFORM
    assert evaluation.peak.violations == (violation,)


def test_four_excursions_one_hour_apart_pass(rows):
    # 08:00–08:15, 09:15–09:30, 10:30–10:45, 11:45–12:00: each ≤15 min, gaps exactly 60 min, 4 a day
    specs = [(8, 0, 15, 120), (9, 15, 15, 120), (10, 30, 15, 120), (11, 45, 15, 120)]
    evaluation = evaluate_substance(rows, "trichloroethylene", AFTER_AMENDMENT, Measurement(
        segments=(Segment(20, 8),), excursions=tce_excursions(AFTER_AMENDMENT, specs)))
    assert evaluation.peak.result == CONFORM and evaluation.result == CONFORM


def test_record_dated_2018_is_judged_with_the_2007_excursion_multiple(rows):
    # 2018: PC-TWA 30 is in the 10–<100 band → multiple 2.0 → allowed 60 mg/m³; a 70 mg/m³ excursion fails.
    measurement = Measurement(segments=(Segment(20, 8),),
                              excursions=tce_excursions(ERA_2007, [(9, 0, 10, 70)]))
    old = evaluate_substance(rows, "trichloroethylene", ERA_2007, measurement)
    assert old.peak.rule == "excursion_multiple" and old.peak.multiple == 2.0
    assert old.peak.trigger == 60
    assert old.result == NONCONFORM and old.peak.violations == ("above_multiple",)
    # The same value in 2023 is under 3 × 30 = 90: no excursion counts, it conforms.
    new = evaluate_substance(rows, "trichloroethylene", AFTER_AMENDMENT, Measurement(
        segments=(Segment(20, 8),), excursions=tce_excursions(AFTER_AMENDMENT, [(9, 0, 10, 70)])))
    assert new.result == CONFORM


def test_2007_multiple_applies_to_short_term_samples_and_to_dust(rows):
    # 其他粉尘 total dust PC-TWA 8 → dust multiple 2 → allowed 16; a 15-min sample of 17 fails.
    evaluation = evaluate_substance(rows, "other_dust", ERA_2007, Measurement(
        fraction="total", segments=(Segment(5, 8),), short_term=(ShortTermSample(17, 15),)))
    assert evaluation.peak.multiple == 2 and evaluation.result == NONCONFORM


@pytest.mark.parametrize("pc_twa, multiple", [(0.5, 3), (1, 2.5), (9.9, 2.5), (10, 2.0), (99, 2.0), (100, 1.5)])
def test_2007_multiple_bands(pc_twa, multiple):
    rule = peak_rule_for(default_peak_rules(), ERA_2007)
    assert excursion_multiple(rule, pc_twa, is_dust=False) == multiple


def test_peak_rule_is_not_applied_to_substances_with_a_stel(rows):
    evaluation = evaluate_substance(rows, "toluene", AFTER_AMENDMENT, Measurement(
        segments=(Segment(20, 8),), excursions=tce_excursions(AFTER_AMENDMENT, [(9, 0, 10, 400)])))
    assert evaluation.peak is None


# --- MAC, no OEL, LOD, mixtures -----------------------------------------------------------------------

def test_mac_exceeded(rows):
    # Formaldehyde MAC 0.5: highest measured 0.62 mg/m³ → 不符合, 124 % of the MAC
    evaluation = evaluate_substance(rows, "formaldehyde", AFTER_AMENDMENT, Measurement(c_me=0.62))
    assert evaluation.result == NONCONFORM
    assert evaluation.checks[0].limit_type == "MAC"
    assert evaluation.ratio == pytest.approx(1.24)
    assert "C_ME 0.62 mg/m³ > MAC 0.5" in evaluation.reason_zh


def test_mac_substance_measured_only_as_twa_is_not_judged(rows):
    evaluation = evaluate_substance(rows, "formaldehyde", AFTER_AMENDMENT, full_shift(0.1))
    assert evaluation.result == UNDETERMINED
    assert "MAC 未评价" in evaluation.reason_zh


def test_substance_without_oel_is_never_conform(rows):
    evaluation = evaluate_substance(rows, "styrene_oxide", AFTER_AMENDMENT, full_shift(0.01))
    assert evaluation.result == UNDETERMINED and evaluation.result_zh == "不判定"
    assert "无职业接触限值" in evaluation.reason_zh
    assert evaluation.reason_en
    assert evaluation.limits_used == ()


def test_acetochlor_has_a_limit_only_from_2025_05_01(rows):
    measurement = full_shift(0.2)  # 0.2 > 0.12
    assert evaluate_substance(rows, "acetochlor", date(2025, 4, 30), measurement).result == UNDETERMINED
    evaluation = evaluate_substance(rows, "acetochlor", date(2025, 5, 1), measurement)
    assert evaluation.result == NONCONFORM
    assert evaluation.limits_used[0].amendment == "第2号修改单"


def test_below_lod_conforms_only_when_the_lod_is_under_the_limit(rows):
    low = evaluate_substance(rows, "benzene", AFTER_AMENDMENT, Measurement(below_lod=True, lod=0.05))
    assert low.result == CONFORM and "<检出限 (0.05 mg/m³)" in low.reason_zh
    assert low.c_twa is None
    unsuitable = evaluate_substance(rows, "benzene", AFTER_AMENDMENT, Measurement(below_lod=True, lod=3.0))
    assert unsuitable.result == UNDETERMINED and "方法不适用" in unsuitable.reason_zh


def test_mixture_above_one_does_not_conform_although_each_substance_does(rows):
    # Toluene C_TWA 30 / 50 = 0.6, xylene C_TWA 25 / 50 = 0.5 → Σ = 1.1 > 1
    toluene = evaluate_substance(rows, "toluene", AFTER_AMENDMENT, full_shift(30))
    xylene = evaluate_substance(rows, "xylene", AFTER_AMENDMENT, full_shift(25))
    assert toluene.result == CONFORM and xylene.result == CONFORM
    mixture = evaluate_mixture([toluene, xylene])
    assert mixture.index == pytest.approx(1.1)
    assert mixture.result == NONCONFORM
    assert "30/50 + 25/50 = 1.1 > 1" in mixture.reason_zh
    assert len(mixture.limits_used) == 2


def test_mixture_without_a_ratio_for_every_substance_is_not_judged(rows):
    toluene = evaluate_substance(rows, "toluene", AFTER_AMENDMENT, full_shift(30))
    unknown = evaluate_substance(rows, "styrene_oxide", AFTER_AMENDMENT, full_shift(1))
    assert evaluate_mixture([toluene, unknown]).result == UNDETERMINED


# --- conditions, dust fractions, units --------------------------------------------------------------

def test_carbon_monoxide_needs_its_condition_and_uses_the_altitude_mac(rows):
    with pytest.raises(Invalid):
        evaluate_substance(rows, "carbon_monoxide", AFTER_AMENDMENT, Measurement(c_me=16))
    plateau = evaluate_substance(rows, "carbon_monoxide", AFTER_AMENDMENT, Measurement(c_me=16),
                                 condition="altitude_gt_3000")
    assert plateau.result == NONCONFORM  # 16 > MAC 15 above 3,000 m
    lowland = evaluate_substance(rows, "carbon_monoxide", AFTER_AMENDMENT, Measurement(c_me=16),
                                 condition="altitude_2000_3000")
    assert lowland.result == CONFORM  # 16 ≤ MAC 20 at 2,000–3,000 m


def test_lead_fume_and_lead_dust_have_different_limits(rows):
    measurement = full_shift(0.04)
    assert evaluate_substance(rows, "lead", AFTER_AMENDMENT, measurement, condition="dust").result == CONFORM
    assert evaluate_substance(rows, "lead", AFTER_AMENDMENT, measurement, condition="fume").result == NONCONFORM


def test_silica_dust_band_from_free_sio2_and_respirable_limit(rows):
    condition = silica_condition(32.5)  # GBZ/T 192.4 result: 32.5 % free SiO₂
    assert condition == "sio2_10_50"
    evaluation = evaluate_substance(rows, "silica_dust", AFTER_AMENDMENT, Measurement(
        fraction="respirable", segments=(Segment(0.9, 6),)), condition=condition)
    # 0.9 × 6 / 8 = 0.675 ≤ 0.7 (呼尘), 96 % of the limit → grade Ⅲ, action level reached
    assert evaluation.c_twa == pytest.approx(0.675)
    assert evaluation.result == CONFORM
    assert evaluation.grade == "Ⅲ" and evaluation.action_level_reached is True


@pytest.mark.parametrize("pct, condition", [(9.9, None), (10, "sio2_10_50"), (50, "sio2_10_50"),
                                            (50.1, "sio2_50_80"), (80, "sio2_50_80"), (85, "sio2_gt_80")])
def test_silica_bands(pct, condition):
    assert silica_condition(pct) == condition


def test_dust_needs_a_fraction_and_respirable_without_limit_is_not_judged(rows):
    with pytest.raises(Invalid):
        evaluate_substance(rows, "welding_fume", AFTER_AMENDMENT, full_shift(3))
    evaluation = evaluate_substance(rows, "welding_fume", AFTER_AMENDMENT, Measurement(
        fraction="respirable", segments=(Segment(3, 8),)))
    assert evaluation.result == UNDETERMINED
    assert "无职业接触限值（呼尘 mg/m³ 无限值）" in evaluation.reason_zh


def test_asbestos_fibre_count_is_judged_against_the_f_per_ml_row(rows):
    evaluation = evaluate_substance(rows, "asbestos", AFTER_AMENDMENT, Measurement(
        unit="f/mL", fraction="total", segments=(Segment(1.0, 8),)))
    assert evaluation.result == NONCONFORM  # 1.0 f/mL > 0.8 f/mL
    assert evaluation.limits_used[0].unit == "f/mL"


def test_negative_values_and_unconverted_units_are_refused(rows):
    with pytest.raises(Invalid):
        evaluate_substance(rows, "toluene", AFTER_AMENDMENT, full_shift(-1))
    with pytest.raises(Invalid):  # ppm must be converted with ppm_to_mg_m3 first
        evaluate_substance(rows, "toluene", AFTER_AMENDMENT, Measurement(unit="ppm", segments=(Segment(5, 8),)))


# --- grades, display, serialisation -----------------------------------------------------------------

@pytest.mark.parametrize("ratio, grade, action", [(0.0, "0", False), (0.01, "0", False), (0.05, "Ⅰ", False),
                                                  (0.3, "Ⅱ", False), (0.5, "Ⅱ", True), (0.8, "Ⅲ", True),
                                                  (1.0, "Ⅲ", True), (1.2, "Ⅳ", True)])
def test_exposure_grade_bands_and_action_level(ratio, grade, action):
    assert exposure_grade(ratio).grade == grade
    assert action_level_reached(ratio) is action


def test_rounding_is_for_display_only(rows):
    # 1.2345 mg/m³ for 8 h keeps every digit; the display shows 3 significant figures.
    evaluation = evaluate_substance(rows, "toluene", AFTER_AMENDMENT, full_shift(1.2345))
    assert evaluation.c_twa == 1.2345
    assert round_sig(evaluation.c_twa) == 1.23
    assert format_sig(1234.5) == "1230"
    assert round_sig(0.0012345) == 0.00123
    assert "C_TWA 1.23 mg/m³" in evaluation.reason_zh


def test_evaluation_serialises_for_the_api(rows):
    evaluation = evaluate_substance(rows, "benzene", AFTER_AMENDMENT, full_shift(4.0))
    data = json.loads(json.dumps(evaluation.as_dict(), ensure_ascii=False))
    assert data["result"] == "nonconform" and data["result_zh"] == "不符合"
    assert data["sampling_date"] == "2023-03-01"
    assert data["limits_used"][0]["source_standard"] == "GBZ 2.1-2019"
    assert data["limits_used"][0]["effective_from"] == "2022-11-01"
    assert data["limits_verified"] is False  # the amendment row is still unverified: the UI must say so
