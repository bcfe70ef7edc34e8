"""A number is stored as typed or refused with the reason, by one rule on the tablet (forms/values.js readNumber) and
on the server (form_registry/values.py read_number): "1,200" is never read as 1.2, nor as 1200."""
import json

import pytest

from server.form_registry.checks import check_value
from server.form_registry.values import read_number
from tests.support import node_json

FIELD = {"id": "lab_mass_ug", "type": "number", "label_zh": "分析质量", "label_en": "Analysed mass", "decimals": 3}

# (typed, stored): a number, or the text itself (refused by the check with the reason).
CASES = [
    ("1200", 1200), ("12.5", 12.5), ("  0.125 ", 0.125), (".5", 0.5), ("-3", -3),
    ("１２．５", 12.5), ("１２。５", 12.5), ("12,5", 12.5), ("12，5", 12.5), ("0,0375", 0.0375), ("1 200", 1200),
    ("1,200", "1,200"), ("１，２００", "１，２００"), ("12,500.5", "12,500.5"), ("1,200,000", "1,200,000"),
    ("1.200,5", "1.200,5"), ("二十", "二十"), ("abc", "abc"), ("5 mg", "5 mg"), ("1e3", "1e3"), ("", None), ("　", None),
]


@pytest.mark.parametrize(("typed", "stored"), CASES)
def test_the_server_reads_a_typed_number_as_typed_or_keeps_the_text(typed, stored):
    value = read_number(typed)
    assert value == stored and type(value) is type(stored)


def test_the_tablet_reads_every_case_as_the_server_does():
    script = ("import { readNumber, looksGrouped } from './pwa/static/js/forms/values.js';"
              f"const cases = {json.dumps([typed for typed, _ in CASES])};"
              "process.stdout.write(JSON.stringify(cases.map((c) => [readNumber(c), looksGrouped(c)])));")
    results = node_json(script)
    assert [value for value, _ in results] == [stored for _, stored in CASES]
    assert [grouped for _, grouped in results] == [typed in ("1,200", "１，２００", "12,500.5", "1,200,000")
                                                   for typed, _ in CASES]


def test_text_in_a_number_field_is_refused_with_what_is_wrong_with_it():
    (grouped,) = check_value(FIELD, "1,200", {})
    assert grouped["code"] == "type"
    assert grouped["message_zh"] == "分析质量：“1,200”中的逗号可能是千位分隔符，也可能是小数点，请不带逗号输入（如 1200 或 1.2）"
    (words,) = check_value(FIELD, "二十", {})
    assert words["message_zh"] == "分析质量：“二十”不是数字" and words["message_en"] == 'Analysed mass: "二十" is not a number'
    script = ("import { checkValue } from './pwa/static/js/forms/checks.js';"
              f"const field = {json.dumps(FIELD)};"
              "process.stdout.write(JSON.stringify([checkValue(field, '1,200'), checkValue(field, '二十')]));")
    assert node_json(script) == [[grouped], [words]]
