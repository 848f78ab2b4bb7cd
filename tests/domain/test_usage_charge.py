import pytest

from portal.domain.usage import FIRST_CHARGED_LETTER, PRICE_PER_LETTER_CENTS, charged_in_month


def test_tariff_is_the_one_in_r9() -> None:
    assert (PRICE_PER_LETTER_CENTS, FIRST_CHARGED_LETTER) == (40, 999)


@pytest.mark.parametrize(
    ("before", "in_month", "charged"),
    [
        (0, 998, 0),  # the first 998 letters of the year are free
        (0, 999, 1),  # the 999th is the first one charged
        (998, 1, 1),
        (997, 1, 0),
        (500, 600, 102),  # letters 999..1100 of the year
        (2000, 10, 10),
        (0, 0, 0),
    ],
)
def test_charged_letters_at_the_edge(before: int, in_month: int, charged: int) -> None:
    assert charged_in_month(before, in_month) == charged
