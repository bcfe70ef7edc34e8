"""The reference tables hold every limit of reference.md §3 (typed here from the document, not the file)."""

import json
from datetime import date

import pytest

from server.domain.errors import Invalid
from server.domain.grades import load_evaluation_rules
from server.domain.oel import limits_for, load_oel_rows, overlapping_rows
from server.domain.peaks import load_peak_rules, peak_rule_for
from server.domain.references import default_path

MGM3, FML = "mg/m3", "f/mL"
TWA, STEL, MAC = "PC-TWA", "PC-STEL", "MAC"

# (key, condition, limit type, fraction, value, unit) — reference.md §3.1 (表1 chemicals).
CHEMICALS = [
    ("benzene", None, TWA, None, 6, MGM3), ("benzene", None, STEL, None, 10, MGM3),
    ("benzene", None, TWA, None, 3, MGM3), ("benzene", None, STEL, None, 6, MGM3),
    ("toluene", None, TWA, None, 50, MGM3), ("toluene", None, STEL, None, 100, MGM3),
    ("xylene", None, TWA, None, 50, MGM3), ("xylene", None, STEL, None, 100, MGM3),
    ("ethylbenzene", None, TWA, None, 100, MGM3), ("ethylbenzene", None, STEL, None, 150, MGM3),
    ("styrene", None, TWA, None, 50, MGM3), ("styrene", None, STEL, None, 100, MGM3),
    ("n_hexane", None, TWA, None, 100, MGM3), ("n_hexane", None, STEL, None, 180, MGM3),
    ("dichloromethane", None, TWA, None, 200, MGM3),
    ("dichloroethane_1_2", None, TWA, None, 7, MGM3), ("dichloroethane_1_2", None, STEL, None, 15, MGM3),
    ("trichloroethylene", None, TWA, None, 30, MGM3),
    ("chloroform", None, TWA, None, 20, MGM3),
    ("tetrachloroethylene", None, TWA, None, 200, MGM3),
    ("formaldehyde", None, MAC, None, 0.5, MGM3),
    ("methanol", None, TWA, None, 25, MGM3), ("methanol", None, STEL, None, 50, MGM3),
    ("ethyl_acetate", None, TWA, None, 200, MGM3), ("ethyl_acetate", None, STEL, None, 300, MGM3),
    ("butyl_acetate", None, TWA, None, 200, MGM3), ("butyl_acetate", None, STEL, None, 300, MGM3),
    ("acetone", None, TWA, None, 300, MGM3), ("acetone", None, STEL, None, 450, MGM3),
    ("methyl_ethyl_ketone", None, TWA, None, 300, MGM3), ("methyl_ethyl_ketone", None, STEL, None, 600, MGM3),
    ("isopropanol", None, TWA, None, 350, MGM3), ("isopropanol", None, STEL, None, 700, MGM3),
    ("cyclohexanone", None, TWA, None, 50, MGM3),
    ("dimethylformamide", None, TWA, None, 20, MGM3),
    ("hydrogen_sulfide", None, MAC, None, 10, MGM3),
    ("carbon_monoxide", "non_plateau", TWA, None, 20, MGM3),
    ("carbon_monoxide", "non_plateau", STEL, None, 30, MGM3),
    ("carbon_monoxide", "altitude_2000_3000", MAC, None, 20, MGM3),
    ("carbon_monoxide", "altitude_gt_3000", MAC, None, 15, MGM3),
    ("ammonia", None, TWA, None, 20, MGM3), ("ammonia", None, STEL, None, 30, MGM3),
    ("chlorine", None, MAC, None, 1, MGM3),
    ("sulfur_dioxide", None, TWA, None, 5, MGM3), ("sulfur_dioxide", None, STEL, None, 10, MGM3),
    ("nitrogen_dioxide", None, TWA, None, 5, MGM3), ("nitrogen_dioxide", None, STEL, None, 10, MGM3),
    ("sulfuric_acid", None, TWA, None, 1, MGM3), ("sulfuric_acid", None, STEL, None, 2, MGM3),
    ("hydrogen_chloride", None, MAC, None, 7.5, MGM3),
    ("hydrogen_fluoride", None, MAC, None, 2, MGM3),
    ("sodium_hydroxide", None, MAC, None, 2, MGM3),
    ("manganese", None, TWA, None, 0.15, MGM3),
    ("lead", "dust", TWA, None, 0.05, MGM3), ("lead", "fume", TWA, None, 0.03, MGM3),
    ("nickel", "insoluble", TWA, None, 1, MGM3), ("nickel", "soluble", TWA, None, 0.5, MGM3),
    ("chromium_vi", None, TWA, None, 0.05, MGM3),
    ("toluene_diisocyanate", None, TWA, None, 0.1, MGM3), ("toluene_diisocyanate", None, STEL, None, 0.2, MGM3),
    ("hydrogen_cyanide", None, MAC, None, 1, MGM3),
    ("ozone", None, MAC, None, 0.3, MGM3),
    ("vinyl_chloride", None, TWA, None, 10, MGM3),
    ("ethylene_oxide", None, TWA, None, 2, MGM3),
    ("carbon_dioxide", None, TWA, None, 9000, MGM3), ("carbon_dioxide", None, STEL, None, 18000, MGM3),
    ("solvent_gasoline", None, TWA, None, 300, MGM3),
    ("acetochlor", None, TWA, None, 0.12, MGM3),
]

# reference.md §3.2 (表2 dusts): PC-TWA total / respirable.
DUSTS = [
    ("silica_dust", "sio2_10_50", TWA, "total", 1, MGM3), ("silica_dust", "sio2_10_50", TWA, "respirable", 0.7, MGM3),
    ("silica_dust", "sio2_50_80", TWA, "total", 0.7, MGM3), ("silica_dust", "sio2_50_80", TWA, "respirable", 0.3, MGM3),
    ("silica_dust", "sio2_gt_80", TWA, "total", 0.5, MGM3), ("silica_dust", "sio2_gt_80", TWA, "respirable", 0.2, MGM3),
    ("coal_dust", None, TWA, "total", 4, MGM3), ("coal_dust", None, TWA, "respirable", 2.5, MGM3),
    ("cement_dust", None, TWA, "total", 4, MGM3), ("cement_dust", None, TWA, "respirable", 1.5, MGM3),
    ("welding_fume", None, TWA, "total", 4, MGM3),
    ("hardwood_dust", None, TWA, "total", 3, MGM3),
    ("other_dust", None, TWA, "total", 8, MGM3),
    ("asbestos", None, TWA, "total", 0.8, MGM3), ("asbestos", None, TWA, "total", 0.8, FML),
    ("aluminium_dust", "metal", TWA, "total", 3, MGM3), ("aluminium_dust", "oxide", TWA, "total", 4, MGM3),
    ("hemp_dust", "flax", TWA, "total", 1.5, MGM3), ("hemp_dust", "jute", TWA, "total", 2, MGM3),
    ("hemp_dust", "ramie", TWA, "total", 3, MGM3),
    ("man_made_mineral_fibre", None, TWA, "total", 5, MGM3), ("man_made_mineral_fibre", None, TWA, "total", 1, FML),
    ("graphite_dust", None, TWA, "total", 4, MGM3), ("graphite_dust", None, TWA, "respirable", 2, MGM3),
    ("talc_dust", None, TWA, "total", 3, MGM3), ("talc_dust", None, TWA, "respirable", 1, MGM3),
    ("limestone_dust", None, TWA, "total", 8, MGM3), ("limestone_dust", None, TWA, "respirable", 4, MGM3),
    ("marble_dust", None, TWA, "total", 8, MGM3), ("marble_dust", None, TWA, "respirable", 4, MGM3),
    ("gypsum_dust", None, TWA, "total", 8, MGM3), ("gypsum_dust", None, TWA, "respirable", 4, MGM3),
    ("carbon_black_dust", None, TWA, "total", 4, MGM3),
    ("fluorspar_mixed_dust", None, TWA, "total", 1, MGM3), ("fluorspar_mixed_dust", None, TWA, "respirable", 0.7, MGM3),
]

# Rows marked 🟡 in reference.md §3 (everything else there is ⚪; nothing is ✅).
THIRD_PARTY_KEYS = {"carbon_monoxide", "lead", "nickel", "acetochlor", "silica_dust", "asbestos",
                    "aluminium_dust", "hemp_dust", "man_made_mineral_fibre"}


@pytest.fixture(scope="module")
def rows():
    return load_oel_rows()


def signature(row):
    return (row.key, row.condition, row.limit_type, row.fraction, row.value, row.unit)


@pytest.mark.parametrize("expected", CHEMICALS + DUSTS, ids=lambda e: f"{e[0]}-{e[1]}-{e[2]}-{e[3]}-{e[4]}{e[5]}")
def test_every_row_of_reference_section_3_is_present(rows, expected):
    assert expected in {signature(row) for row in rows}


def test_categories_follow_the_gbz_tables(rows):
    dust_keys = {e[0] for e in DUSTS}
    assert {row.key for row in rows if row.category == "dust"} == dust_keys
    assert all(row.fraction in ("total", "respirable") for row in rows if row.category == "dust")
    assert all(row.fraction is None for row in rows if row.category == "chemical")


@pytest.mark.parametrize("on_date, twa, stel", [(date(2021, 6, 1), 6, 10), (date(2022, 10, 31), 6, 10),
                                                (date(2022, 11, 1), 3, 6), (date(2024, 1, 15), 3, 6)])
def test_benzene_limit_in_force_on_the_sampling_date(rows, on_date, twa, stel):
    found = {row.limit_type: row.value for row in limits_for(rows, "benzene", on_date)}
    assert found == {TWA: twa, STEL: stel}


def test_benzene_amendment_rows_carry_their_provenance_and_stay_unverified(rows):
    amended = [row for row in rows if row.key == "benzene" and row.amendment == "第1号修改单"]
    assert {row.limit_type for row in amended} == {TWA, STEL}
    for row in amended:
        assert row.effective_from == date(2022, 11, 1)
        assert row.confidence == "third_party" and row.verified is False
        assert set(row.sources) == {"S4", "S5"}
        assert "verify" in row.note
    old = [row for row in rows if row.key == "benzene" and row.amendment is None]
    assert all(row.effective_to == date(2022, 11, 1) for row in old)


def test_acetochlor_comes_with_amendment_2_on_2025_05_01(rows):
    (row,) = [row for row in rows if row.key == "acetochlor"]
    assert (row.cas, row.amendment, row.effective_from) == ("34256-82-1", "第2号修改单", date(2025, 5, 1))
    assert limits_for(rows, "acetochlor", date(2025, 4, 30)) == ()


def test_sample_of_names_remarks_and_conditions(rows):
    by_sig = {signature(row): row for row in rows}
    benzene = by_sig[("benzene", None, TWA, None, 3, MGM3)]
    assert (benzene.name_zh, benzene.cas, benzene.remarks) == ("苯", "71-43-2", ("皮", "G1"))
    assert by_sig[("formaldehyde", None, MAC, None, 0.5, MGM3)].remarks == ("敏", "G1")
    assert by_sig[("silica_dust", "sio2_10_50", TWA, "respirable", 0.7, MGM3)].condition_zh == "10%≤游离SiO₂含量≤50%"
    assert by_sig[("lead", "fume", TWA, None, 0.03, MGM3)].condition_zh == "铅烟"
    assert by_sig[("asbestos", None, TWA, "total", 0.8, FML)].cas == "1332-21-4"


def test_confidence_flags_are_mapped_from_the_reference_marks(rows):
    for row in rows:
        assert row.verified is (row.confidence == "verified")
        if row.key == "benzene":
            continue  # 2019 values ⚪, amended values 🟡: checked above
        expected = "third_party" if row.key in THIRD_PARTY_KEYS else "memory"
        assert row.confidence == expected, row.row_id
    assert not any(row.verified for row in rows)  # nothing in §3 is ✅


def test_rows_applied_before_2020_say_so_in_their_note(rows):
    for row in rows:
        if row.effective_from is None:
            assert "GBZ 2.1-2007" in row.note and "unverified" in row.note, row.row_id


def test_no_two_rows_of_the_same_limit_overlap_in_time(rows):
    assert overlapping_rows(rows) == []
    assert len({row.row_id for row in rows}) == len(rows)


def write_table(tmp_path, rows_json, table="oel_limits"):
    path = tmp_path / "oel.json"
    path.write_text(json.dumps({"table": table, "title_zh": "t", "title_en": "t", "version": "v",
                                "source": "s", "rows": rows_json}, ensure_ascii=False), encoding="utf-8")
    return path


def a_row(**changes):
    row = {"key": "benzene", "name_zh": "苯", "name_en": "Benzene", "cas": "71-43-2", "category": "chemical",
           "condition": None, "limit_type": TWA, "fraction": None, "value": 3, "unit": MGM3,
           "source_standard": "GBZ 2.1-2019", "effective_from": None, "effective_to": None,
           "confidence": "memory", "verified": False}
    row.update(changes)
    return row


def test_an_edited_table_with_a_mistake_is_refused(tmp_path):
    with pytest.raises(Invalid):
        load_oel_rows(write_table(tmp_path, [a_row(confidence="memory", verified=True)]))
    with pytest.raises(Invalid):
        load_oel_rows(write_table(tmp_path, [a_row(), a_row(value=6, effective_to="2022-11-01")]))
    with pytest.raises(Invalid):
        load_oel_rows(write_table(tmp_path, [a_row(limit_type="TWA")]))
    with pytest.raises(Invalid):
        load_oel_rows(write_table(tmp_path, [a_row()], table="noise_limits"))
    assert len(load_oel_rows(write_table(tmp_path, [a_row(value=6, effective_to="2022-11-01"),
                                                     a_row(effective_from="2022-11-01")]))) == 2


def test_peak_rules_switch_from_2007_multiples_to_2019_peaks():
    rules = load_peak_rules()
    old = peak_rule_for(rules, date(2020, 3, 31))
    new = peak_rule_for(rules, date(2020, 4, 1))
    assert old.source_standard == "GBZ 2.1-2007" and old.dust_multiple == 2
    assert old.bands == ((0, 1, 3), (1, 10, 2.5), (10, 100, 2.0), (100, None, 1.5))
    assert new.source_standard == "GBZ 2.1-2019"
    assert (new.trigger_multiple, new.max_minutes_each, new.max_count_per_day, new.min_gap_minutes,
            new.ceiling_multiple) == (3, 15, 4, 60, 5)
    assert not old.verified and not new.verified


def test_grade_bands_and_action_level_data():
    rules = load_evaluation_rules()
    assert [band.grade for band in rules.grade_bands] == ["0", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ"]
    assert [band.ratio_up_to for band in rules.grade_bands] == [0.01, 0.10, 0.50, 1.0, None]
    assert rules.action_level_ratio == 0.5 and rules.mixture_index_max == 1.0


def test_physical_table_holds_noise_heat_vibration_and_field_limits():
    data = json.loads(default_path("noise", "gbz2_2.json").read_text(encoding="utf-8"))
    assert data["table"] == "physical_limits"
    by_key = {row["key"]: row for row in data["rows"]}
    assert by_key["noise_lex_limit"]["value"] == 85
    assert [(by_key[f"impulse_peak_le_{n}"]["value"]) for n in (100, 1000, 10000)] == [140, 130, 120]
    assert by_key["calibrator_drift_max"]["value"] == 0.5
    wbgt = {(r["exposure_time_rate_pct"], r["work_intensity"]): r["value"]
            for r in data["rows"] if r["kind"] == "heat_wbgt"}
    assert [wbgt[(100, i)] for i in ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ")] == [30, 28, 26, 25]
    assert [wbgt[(75, i)] for i in ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ")] == [31, 29, 28, 26]
    assert [wbgt[(50, i)] for i in ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ")] == [32, 30, 29, 28]
    assert [wbgt[(25, i)] for i in ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ")] == [33, 32, 31, 30]
    assert by_key["wbgt_hot_region_addition"]["value"] == 1
    assert (by_key["hand_arm_vibration_4h"]["value"], by_key["hand_arm_vibration_4h"]["unit"]) == (5, "m/s2")
    assert (by_key["power_frequency_electric_field_8h"]["value"],
            by_key["power_frequency_electric_field_8h"]["unit"]) == (5, "kV/m")
    assert all(row["verified"] is (row["confidence"] == "verified") for row in data["rows"])
