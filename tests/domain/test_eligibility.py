from datetime import date

import pytest

from portal.domain.eligibility import PersonFacts, Refusal, age_on, check_eligibility

TODAY = date(2026, 11, 28)
VALID = "999900006"


def facts(birth: date, residence: str = "NL", nationality: str = "NL") -> PersonFacts:
    return PersonFacts(VALID, birth, residence, nationality)


def test_fourteenth_birthday_today_is_old_enough() -> None:
    assert check_eligibility(facts(date(2012, 11, 28)), VALID, TODAY) is None


def test_one_day_before_fourteenth_birthday_is_too_young() -> None:
    assert check_eligibility(facts(date(2012, 11, 29)), VALID, TODAY) is Refusal.TOO_YOUNG


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2012, 2, 29), date(2026, 2, 28), 13),
        (date(2012, 2, 29), date(2026, 3, 1), 14),
        (date(1952, 3, 14), date(2026, 11, 28), 74),
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


@pytest.mark.parametrize(
    ("residence", "nationality", "expected"),
    [
        ("NL", "NL", None),
        ("NL", "MA", None),  # lives in the Netherlands
        ("ES", "NL", None),  # Dutch, lives abroad
        ("DE", "DE", Refusal.NO_DUTCH_LINK),
    ],
)
def test_residence_or_nationality(residence: str, nationality: str, expected: Refusal | None) -> None:
    result = check_eligibility(facts(date(1980, 1, 1), residence, nationality), VALID, TODAY)
    assert result is expected


def test_invalid_bsn_is_refused_before_anything_else() -> None:
    assert check_eligibility(None, "123456789", TODAY) is Refusal.INVALID_BSN


def test_unknown_person_is_not_registered() -> None:
    assert check_eligibility(None, VALID, TODAY) is Refusal.NOT_REGISTERED
