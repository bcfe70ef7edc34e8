"""Sampling arithmetic as a sampling team and the lab do it: times, volumes, concentrations, QC checks."""

from datetime import datetime, timedelta, timezone

import pytest

from server.domain.errors import Invalid
from server.domain.sampling import (
    check_filter_mass_gain,
    check_flow,
    concentration_from_filter_masses,
    concentration_from_lab_mass,
    default_sampling_qc,
    flow_deviation_pct,
    mean_flow,
    minutes_between,
    ppm_to_mg_m3,
    sampled_volume_l,
    standard_volume_l,
)

CST = timezone(timedelta(hours=8))


def test_sampling_time_in_minutes_between_start_and_end_on_the_tablet():
    start = datetime(2024, 5, 14, 8, 30, tzinfo=CST)
    end = datetime(2024, 5, 14, 16, 45, tzinfo=CST)
    # 08:30 → 16:45 = 8 h 15 min = 495 min
    assert minutes_between(start, end) == 495.0


def test_end_before_start_or_mixed_timezones_is_refused():
    start = datetime(2024, 5, 14, 8, 30, tzinfo=CST)
    with pytest.raises(Invalid):
        minutes_between(start, start - timedelta(minutes=1))
    with pytest.raises(Invalid):
        minutes_between(start, datetime(2024, 5, 14, 9, 0))


def test_total_dust_sample_from_filter_masses_with_standard_volume_worked_out():
    # A 37 mm filter weighed 18.52 mg before and 19.27 mg after: Δm = 0.75 mg.
    # Pump 2.00 L/min before, 2.10 L/min after, 08:00 → 15:00 = 420 min, field 30 ℃ / 99.8 kPa.
    minutes = minutes_between(datetime(2024, 5, 14, 8, 0, tzinfo=CST), datetime(2024, 5, 14, 15, 0, tzinfo=CST))
    assert minutes == 420.0
    assert mean_flow(2.00, 2.10) == pytest.approx(2.05)  # (2.00 + 2.10) / 2
    vt = sampled_volume_l(2.00, 2.10, minutes)
    assert vt == pytest.approx(861.0)  # 2.05 L/min × 420 min
    v0 = standard_volume_l(vt, 30.0, 99.8)
    # V0 = 861 × 293 / (273 + 30) × 99.8 / 101.3 = 861 × 0.966997 × 0.985192 = 820.256 L
    assert v0 == pytest.approx(861 * 293 / 303 * 99.8 / 101.3)
    assert v0 == pytest.approx(820.256, abs=0.001)
    c = concentration_from_filter_masses(18.52, 19.27, v0)
    # C = 0.75 mg / 820.256 L × 1000 = 0.9143 mg/m³ (with Vt instead of V0 it would read 0.871)
    assert c == pytest.approx(0.75 / 820.256 * 1000, rel=1e-6)
    assert round(c, 3) == 0.914
    assert round(concentration_from_filter_masses(18.52, 19.27, vt), 3) == 0.871
    # The QC checks on the same sample: the flow moved exactly 5 % and Δm is far under 5 mg.
    assert check_flow(2.00, 2.10).valid is True
    assert check_filter_mass_gain(18.52, 19.27, 37).valid is True


def test_standard_volume_is_unchanged_at_20_degrees_and_101_3_kpa():
    assert standard_volume_l(100.0, 20.0, 101.3) == pytest.approx(100.0)


def test_flow_deviation_over_the_threshold_invalidates_the_sample():
    # 1.50 → 1.41 L/min: |1.41 − 1.50| / 1.50 × 100 = 6 % > 5 %
    check = check_flow(1.50, 1.41)
    assert check.deviation_pct == pytest.approx(6.0)
    assert check.max_deviation_pct == 5.0
    assert check.valid is False
    assert "样品无效" in check.reason_zh and "invalid" in check.reason_en


def test_flow_threshold_is_configurable_and_defaults_from_the_qc_table():
    assert default_sampling_qc().flow_deviation_max_pct == 5.0
    assert check_flow(1.50, 1.41, max_deviation_pct=10).valid is True
    assert flow_deviation_pct(1.50, 1.41) == pytest.approx(6.0)


@pytest.mark.parametrize("diameter, gain_after, valid, max_gain", [
    (37, 15.2, False, 5.0),   # 37 mm: Δm 5.2 mg > 5 mg → overloaded
    (25, 14.9, True, 5.0),    # ≤37 mm band
    (40, 18.0, True, 10.0),   # 40 mm: Δm 8 mg ≤ 10 mg
    (40, 20.5, False, 10.0),  # 40 mm: Δm 10.5 mg > 10 mg
    (75, 40.0, True, None),   # 75 mm: no limit
])
def test_dust_filter_mass_gain_by_filter_diameter(diameter, gain_after, valid, max_gain):
    check = check_filter_mass_gain(10.0, gain_after, diameter)
    assert check.gain_mg == pytest.approx(gain_after - 10.0)
    assert check.valid is valid
    assert check.max_gain_mg == max_gain


def test_a_filter_diameter_without_a_rule_is_refused_not_guessed():
    with pytest.raises(Invalid):
        check_filter_mass_gain(10.0, 12.0, 47)


def test_lab_mass_with_blank_correction():
    # Benzene on a charcoal tube: 18.6 µg in the sample, 0.6 µg in the field blank, V0 = 3.0 L
    # C = (18.6 − 0.6) µg / 3.0 L = 6.0 µg/L = 6.0 mg/m³
    assert concentration_from_lab_mass(18.6, 3.0, blank_mass_ug=0.6) == pytest.approx(6.0)
    assert concentration_from_lab_mass(18.6, 3.0) == pytest.approx(6.2)


def test_a_sample_below_its_blank_is_refused():
    with pytest.raises(Invalid):
        concentration_from_lab_mass(0.4, 3.0, blank_mass_ug=0.6)


def test_ppm_to_mg_per_cubic_metre_at_20_degrees():
    # Benzene M = 78.11 g/mol: 1 ppm × 78.11 / 24.06 = 3.246 mg/m³ (a 1 ppm reading already exceeds PC-TWA 3)
    assert ppm_to_mg_m3(1.0, 78.11) == pytest.approx(78.11 / 24.06)
    assert round(ppm_to_mg_m3(1.0, 78.11), 3) == 3.246
