"""Numbers printed on notices, including those a tablet issues offline from its reserved block."""
import pytest

from server.domain.errors import Invalid
from server.domain.numbering import check_reserved_number, format_number, parse_number
from server.domain.references import default_path, read_table


@pytest.fixture(scope="module")
def specs():
    table = read_table(default_path("documents", "number_templates.json"), "document_number_templates")
    return {row["key"]: row for row in table["rows"]}


@pytest.fixture
def notice(specs):
    return specs["rectification_notice"]


BLOCK = {"agency_id": 7, "doc_type": "rectification_notice", "year": 2026, "start": 11, "end": 20}


def test_an_order_to_correct_is_numbered_like_临卫职改2026_12(notice):
    number = format_number(notice, {"region_short": "临", "year": 2026, "seq": 12})
    assert number == "临卫职改〔2026〕12号"
    assert parse_number(number, notice) == {"region_short": "临", "nature": "改", "year": 2026, "seq": 12}


def test_a_province_that_writes_第_and_three_digits(notice):
    local = dict(notice, seq_prefix="第", seq_width=3)
    number = format_number(local, {"region_short": "卫辉", "year": 2026, "seq": 7})
    assert number == "卫辉卫职改〔2026〕第007号"  # a city whose name starts with 卫 still parses
    assert parse_number(number, local)["region_short"] == "卫辉"


def test_a_supervision_opinion_carries_a_plain_year_and_sequence(specs):
    opinion = specs["supervision_opinion"]
    assert opinion["number_kind"] == "bianhao"
    assert format_number(opinion, {"year": 2026, "seq": 1}) == "2026—001"
    assert parse_number("2026—001", opinion)["seq"] == 1


@pytest.mark.parametrize("typed", ["临卫职改[2026]12号", "临卫职改【2026】12号"])
def test_square_brackets_are_refused(notice, typed):
    with pytest.raises(Invalid) as caught:
        parse_number(typed, notice)
    assert caught.value.details[0]["code"] == "wrong_brackets"


def test_a_template_with_square_brackets_is_refused(notice):
    with pytest.raises(Invalid):
        format_number(dict(notice, template="{region_short}卫职{nature}[{year}]{seq}号"),
                      {"region_short": "临", "year": 2026, "seq": 1})


@pytest.mark.parametrize("parts", [{"region_short": "临", "year": 2026, "seq": 0},
                                   {"region_short": "", "year": 2026, "seq": 3},
                                   {"region_short": "临", "year": 26, "seq": 3}])
def test_bad_parts_are_refused(notice, parts):
    with pytest.raises(Invalid):
        format_number(notice, parts)


def test_a_number_with_another_nature_code_is_not_an_order_to_correct(notice):
    with pytest.raises(Invalid) as caught:
        parse_number("临卫职罚〔2026〕12号", notice)
    assert caught.value.details[0]["code"] == "nature"


def test_an_offline_number_inside_the_devices_block_is_accepted(notice):
    parsed = check_reserved_number("临卫职改〔2026〕20号", notice, BLOCK, agency_id=7, region_short="临")
    assert parsed["seq"] == 20


@pytest.mark.parametrize("number, block_change, field", [
    ("临卫职改〔2026〕21号", {}, "seq"),
    ("临卫职改〔2026〕10号", {}, "seq"),
    ("临卫职改〔2025〕12号", {}, "year"),
    ("临卫职改〔2026〕12号", {"agency_id": 8}, "agency_id"),
    ("临卫职改〔2026〕12号", {"doc_type": "supervision_opinion"}, "doc_type"),
    ("沂卫职改〔2026〕12号", {}, "region_short"),
])
def test_an_offline_number_outside_the_devices_block_is_rejected(notice, number, block_change, field):
    with pytest.raises(Invalid) as caught:
        check_reserved_number(number, notice, dict(BLOCK, **block_change), agency_id=7, region_short="临")
    assert [d["field"] for d in caught.value.details] == [field]
