"""Noise evaluation as the noise team does it: periods of the day, odd weeks, impulses, calibrator."""

import math
from datetime import date

import pytest

from server.domain.errors import Invalid
from server.domain.judgements import CONFORM, NONCONFORM, UNDETERMINED
from server.domain.noise import (
    CASE_5D_8H,
    CASE_5D_NOT_8H,
    CASE_NOT_5D,
    ImpulseNoise,
    NoisePeriod,
    check_calibration,
    default_noise_limits,
    evaluate_noise,
    impulse_peak_limit,
    lex_8h,
    lex_8h_periods,
    lex_w,
    noise_case,
)

DAY = date(2024, 5, 14)


def test_lex_8h_from_three_periods_with_the_logarithm_written_out():
    # Punch press 2 h at 88 dB(A), assembly 4 h at 82 dB(A), office 2 h at 75 dB(A):
    #   2 × 10^8.8 = 1 261 914 689
    #   4 × 10^8.2 =   633 957 277
    #   2 × 10^7.5 =    63 245 553
    #   Σ          = 1 959 117 519;  / 8 h = 244 889 690
    #   L_EX,8h = 10 × lg(244 889 690) = 10 × 8.38897 = 83.89 dB(A)
    periods = [NoisePeriod(88, 2), NoisePeriod(82, 4), NoisePeriod(75, 2)]
    expected = 10 * math.log10((2 * 10 ** 8.8 + 4 * 10 ** 8.2 + 2 * 10 ** 7.5) / 8)
    assert lex_8h_periods(periods) == pytest.approx(expected)
    assert lex_8h_periods(periods) == pytest.approx(83.89, abs=0.005)
    evaluation = evaluate_noise(DAY, periods)
    assert evaluation.case == CASE_5D_8H
    assert evaluation.result == CONFORM
    assert "83.9 dB(A) ≤ 85 dB(A)" in evaluation.reason_zh


def test_single_period_shorter_than_8_hours():
    # 92 dB(A) for 4 h: 92 + 10 × lg(4 / 8) = 92 − 3.01 = 88.99 dB(A) > 85
    assert lex_8h(92, 4) == pytest.approx(92 + 10 * math.log10(0.5))
    assert lex_8h(92, 4) == pytest.approx(88.99, abs=0.005)
    evaluation = evaluate_noise(DAY, [NoisePeriod(92, 4)])
    assert evaluation.case == CASE_5D_NOT_8H
    assert evaluation.lex_8h == pytest.approx(88.99, abs=0.005)
    assert evaluation.result == NONCONFORM and evaluation.result_zh == "不符合"


def test_six_day_week_is_judged_on_lex_w_even_when_each_day_conforms():
    # 6 days a week at L_EX,8h = 84.5 dB(A) each (every single day is ≤ 85):
    #   L_EX,W = 10 × lg[(1/5) × 6 × 10^8.45] = 84.5 + 10 × lg(6/5) = 84.5 + 0.79 = 85.29 dB(A) > 85
    assert lex_w([84.5] * 6) == pytest.approx(84.5 + 10 * math.log10(6 / 5))
    evaluation = evaluate_noise(DAY, [NoisePeriod(84.5, 8)], days_per_week=6)
    assert evaluation.case == CASE_NOT_5D
    assert evaluation.lex_8h == pytest.approx(84.5)
    assert evaluation.lex_w == pytest.approx(85.29, abs=0.005)
    assert evaluation.level_judged == evaluation.lex_w
    assert evaluation.result == NONCONFORM
    assert "L_EX,W 85.3 dB(A) > 85 dB(A)" in evaluation.reason_zh


def test_lex_w_from_different_days():
    # 86, 84, 84, 84, 84, 80 dB(A) over a 6-day week:
    #   Σ 10^(0.1 L) = 10^8.6 + 4 × 10^8.4 + 10^8.0 = 398 107 171 + 1 004 754 573 + 100 000 000 = 1 502 861 743
    #   L_EX,W = 10 × lg(1 502 861 743 / 5) = 10 × 8.47795 = 84.78 dB(A)
    daily = [86, 84, 84, 84, 84, 80]
    assert lex_w(daily) == pytest.approx(84.78, abs=0.005)
    evaluation = evaluate_noise(DAY, [NoisePeriod(86, 8)], days_per_week=6, daily_lex=daily)
    assert evaluation.result == CONFORM
    with pytest.raises(Invalid):
        evaluate_noise(DAY, [NoisePeriod(86, 8)], days_per_week=6, daily_lex=daily[:5])


@pytest.mark.parametrize("days, hours, case", [(5, 8, CASE_5D_8H), (5, 10, CASE_5D_NOT_8H),
                                               (5, 6, CASE_5D_NOT_8H), (6, 8, CASE_NOT_5D), (4, 10, CASE_NOT_5D)])
def test_which_case_applies(days, hours, case):
    assert noise_case(days, hours) == case


@pytest.mark.parametrize("count, limit", [(1, 140), (100, 140), (101, 130), (1000, 130), (1001, 120),
                                          (10000, 120), (10001, None)])
def test_impulse_peak_limit_by_count(count, limit):
    found = impulse_peak_limit(count)
    assert (found.value if found else None) == limit


def test_impulse_noise_judged_by_its_daily_count():
    # A forging hammer peaks at 135 dB(A): fine at 80 impulses a day (limit 140), not at 500 (limit 130).
    assert evaluate_noise(DAY, impulse=ImpulseNoise(135, 80)).result == CONFORM
    busy = evaluate_noise(DAY, impulse=ImpulseNoise(135, 500))
    assert busy.result == NONCONFORM
    assert busy.checks[0].limit_value == 130


def test_more_than_ten_thousand_impulses_is_not_judged_with_a_reason():
    evaluation = evaluate_noise(DAY, impulse=ImpulseNoise(115, 12000))
    assert evaluation.result == UNDETERMINED and evaluation.result_zh == "不判定"
    assert "超过 10000 次" in evaluation.reason_zh and "above 10,000" in evaluation.reason_en


def test_calibrator_drift_over_half_a_decibel_invalidates_the_measurement():
    # Calibrator 94.0 dB before, 93.4 dB after: drift 0.6 dB > 0.5 dB → 不判定 even though 92 dB(A) is over 85.
    evaluation = evaluate_noise(DAY, [NoisePeriod(92, 8)], calibration=(94.0, 93.4))
    assert evaluation.calibration.valid is False
    assert evaluation.calibration.drift_db == pytest.approx(0.6)
    assert evaluation.result == UNDETERMINED
    assert "测量无效" in evaluation.reason_zh
    # Exactly 0.5 dB is still valid; the threshold is configurable.
    assert check_calibration(94.0, 93.5).valid is True
    assert check_calibration(94.1, 93.6).valid is True
    assert evaluate_noise(DAY, [NoisePeriod(92, 8)], calibration=(94.0, 93.4),
                          max_calibration_drift_db=1.0).result == NONCONFORM


def test_noise_limits_come_from_the_reference_table_with_provenance():
    limits = default_noise_limits()
    assert limits.lex_limit.value == 85 and limits.lex_limit.unit == "dB(A)"
    assert limits.calibrator_drift.value == 0.5
    evaluation = evaluate_noise(DAY, [NoisePeriod(80, 8)], calibration=(94.0, 94.0))
    used = {u.row_id: u for u in evaluation.limits_used}
    assert used["noise_lex_limit"].source_standard == "GBZ 2.2-2007"
    assert used["noise_lex_limit"].verified is False
    assert "calibrator_drift_max" in used


def test_no_measurement_is_refused():
    with pytest.raises(Invalid):
        evaluate_noise(DAY)
