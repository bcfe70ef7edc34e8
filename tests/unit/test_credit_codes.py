"""统一社会信用代码 check (GB 32100-2015)."""
import pytest

from server.domain.credit_codes import check_character, credit_code_problem, is_valid_credit_code


def test_the_standards_worked_example_is_valid():
    # Σ(Ci·Wi) over "91350100M000100Y4" = 1640 → 1640 mod 31 = 28 → 31 − 28 = 3.
    assert check_character("91350100M000100Y4") == "3"
    assert is_valid_credit_code("91350100M000100Y43")


@pytest.mark.parametrize("code, problem", [
    ("91350100M000100Y44", "check_digit"),
    ("91350100M000100Y4", "length"),
    ("91350100M000100Y433", "length"),
    ("91350100M000I00Y43", "charset"),
    (91350100, "type"),
])
def test_invalid_codes_say_what_is_wrong(code, problem):
    assert credit_code_problem(code)[0] == problem


def test_check_character_zero_when_sum_is_a_multiple_of_31():
    # "00000000000000000" sums to 0 → (31 − 0) mod 31 = 0, written "0".
    assert check_character("00000000000000000") == "0"
