"""One parser for the numbers clients send: never raises, only ASCII digits in range."""
import pytest

from fieldapp.numbers import MAX_ID, record_id, whole_number


@pytest.mark.parametrize("text", ["²", "①", "٣", "１２", "", " ", "-1", "+1", "1.0", "1e3", "0x10",
                                  "9" * 5000, str(2**63), "1\x00", "NaN", "\ud800"])
def test_what_is_not_a_plain_number_in_range_is_none(text):
    assert record_id(text) is None


@pytest.mark.parametrize("value", [True, False, 1.0, None, b"12", ["1"], {"a": 1}, 0, -5, 2**63, 10**400])
def test_other_types_and_out_of_range_ints_are_none(value):
    assert record_id(value) is None


def test_plain_numbers_are_read():
    assert record_id("42") == 42
    assert record_id(" 7 ") == 7
    assert record_id(str(MAX_ID)) == MAX_ID
    assert record_id(12) == 12
    assert whole_number("0") == 0
    assert whole_number("720", 1, 720) == 720
    assert whole_number("721", 1, 720) is None
