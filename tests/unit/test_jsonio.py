"""JSON codecs of responses and stored columns: fast, and never failing where the standard library would not."""
import json
import math

from server.jsonio import dumps_text, loads_stored


def test_chinese_text_is_written_as_itself_not_escaped():
    assert dumps_text({"名称": "青川鑫源化工有限公司"}) == '{"名称":"青川鑫源化工有限公司"}'


def test_an_integer_beyond_64_bits_is_still_written():
    assert json.loads(dumps_text({"reading": 2**70})) == {"reading": 2**70}


def test_integer_keys_are_written_as_strings_like_the_standard_library():
    assert json.loads(dumps_text({1: "a"})) == json.loads(json.dumps({1: "a"}))


def test_a_column_written_by_the_standard_library_with_nan_reads_back():
    assert math.isnan(loads_stored('{"value": NaN}')["value"])
