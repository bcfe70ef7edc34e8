"""Declared hazards as district spreadsheets write them resolve to the keys of the reference table
(reference/hazards/hazard_factors.json), or are refused with the word that did not."""
import json
from pathlib import Path

import pytest

from server.domain.hazard_names import hazard_lookup, hazard_names, resolve_hazards, split_hazards

ROWS = json.loads((Path(__file__).resolve().parents[2] / "reference/hazards/hazard_factors.json")
                  .read_text(encoding="utf-8"))["rows"]
LOOKUP = hazard_lookup(ROWS)


@pytest.mark.parametrize("cell, keys", [
    ("苯、甲苯、噪声", ["benzene", "toluene", "noise"]),
    ("苯，甲苯；噪声", ["benzene", "toluene", "noise"]),             # full-width separators
    ("苯, 甲苯; 噪声/矽尘|高温", ["benzene", "toluene", "noise", "silica_dust", "high_temperature"]),
    ("苯\n甲苯", ["benzene", "toluene"]),                           # a line break inside the cell
    ("苯 甲苯", ["benzene", "toluene"]),                            # spaces, when every word is a name
    ("二甲苯（全部异构体）", ["xylene"]), ("二甲苯", ["xylene"]), ("二甲苯(全部异构体)", ["xylene"]),
    ("1,2-二氯乙烷，噪声", ["dichloroethane_1_2", "noise"]),         # the comma of a chemical name stays
    ("人造矿物纤维绝热棉粉尘（玻璃棉、矿渣棉、岩棉）", ["man_made_mineral_fibre"]),  # 、 inside the note
    ("三氧化铬、铬酸盐、重铬酸盐（按Cr计）", ["chromium_vi"]),
    ("锰及其无机化合物（按MnO₂计）", ["manganese"]), ("锰及其无机化合物(按MnO2计)", ["manganese"]),
    ("噪音、砂尘、电焊烟尘、盐酸", ["noise", "silica_dust", "welding_fume", "hydrogen_chloride"]),  # usual words
    ("ｂｅｎｚｅｎｅ、Toluene、71-43-2", ["benzene", "toluene"]),     # full-width letters, English, CAS
    ("hardwood_dust、noise", ["hardwood_dust", "noise"]),           # the keys themselves
    ("苯、苯、Benzene", ["benzene"]),                                # once each
    ("", []), ("、 ，", []),
])
def test_names_resolve_to_reference_keys(cell, keys):
    assert resolve_hazards(cell, LOOKUP) == (keys, [])


def test_an_unknown_name_is_refused_with_the_word_and_the_known_ones_are_kept():
    keys, problems = resolve_hazards("苯、香蕉水、甲笨", LOOKUP)
    assert keys == ["benzene"]
    assert [name for name, _zh, _en in problems] == ["香蕉水", "甲笨"]
    assert "香蕉水" in problems[0][1] and "职业病危害因素" in problems[0][1]


def test_spaces_do_not_join_a_known_and_an_unknown_word():
    assert resolve_hazards("苯 香蕉水", LOOKUP)[1][0][0] == "苯 香蕉水"


def test_a_word_that_names_two_factors_is_refused_as_ambiguous():
    rows = [{"key": "coal_dust_a", "name_zh": "煤尘（甲）"}, {"key": "coal_dust_b", "name_zh": "煤尘（乙）"}]
    keys, problems = resolve_hazards("煤尘", hazard_lookup(rows))
    assert keys == [] and "多个危害因素" in problems[0][1]


def test_an_alias_of_a_factor_the_table_lacks_is_not_a_name():
    rows = [row for row in ROWS if row["key"] != "noise"]
    assert resolve_hazards("噪音", hazard_lookup(rows))[0] == []


def test_splitting_keeps_brackets_and_chemical_commas_whole():
    assert split_hazards("1,2-二氯乙烷、石棉（石棉含量>10%）粉尘，噪声") == ["1,2-二氯乙烷", "石棉(石棉含量>10%)粉尘", "噪声"]


def test_keys_read_as_names_and_a_stored_word_as_it_was():
    assert hazard_names(["benzene", "noise", "香蕉水"], ROWS) == "苯、噪声、香蕉水"
