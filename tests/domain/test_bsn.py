import pytest

from portal.domain.bsn import is_valid_bsn, mask_bsn


@pytest.mark.parametrize("bsn", ["999900006", "999900018", "111222333", "123456782"])
def test_valid_bsns_pass_the_elfproef(bsn: str) -> None:
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize(
    "bsn",
    [
        "999900007",  # last digit off by one
        "123456789",  # weighted sum 9·1+…+2·8−9 = 156, not divisible by 11
        "000000000",  # sum 0 is divisible by 11 but is not a number anyone has
        "99990000",  # eight digits
        "9999000060",  # ten digits
        "99990000a",
        "９９９９００００６",  # full-width digits are not ASCII digits
        "",
        " 99990000",
    ],
)
def test_invalid_bsns_fail(bsn: str) -> None:
    assert not is_valid_bsn(bsn)


def test_weights_match_the_rule_by_hand() -> None:
    # 1·9 + 1·8 + 1·7 + 2·6 + 2·5 + 2·4 + 3·3 + 3·2 − 3·1 = 66 = 6·11
    assert is_valid_bsn("111222333")
    # Changing the last digit breaks it.
    assert not is_valid_bsn("111222334")


def test_mask_shows_last_three_digits_only() -> None:
    assert mask_bsn("999900006") == "******006"
    assert mask_bsn("12") == "*********"
