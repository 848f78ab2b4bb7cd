"""Who has a Berichtenbox account (rule R1)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from portal.domain.bsn import is_valid_bsn

MINIMUM_AGE = 14
NETHERLANDS = "NL"


class Refusal(enum.StrEnum):
    """Why someone has no account. Each has its own kind explanation page."""

    NOT_REGISTERED = "not_registered"
    INVALID_BSN = "invalid_bsn"
    TOO_YOUNG = "too_young"
    NO_DUTCH_LINK = "no_dutch_link"


@dataclass(frozen=True)
class PersonFacts:
    """What R1 looks at, taken from the population register."""

    bsn: str
    birth_date: date
    residence_country: str
    nationality: str


def age_on(birth_date: date, today: date) -> int:
    """Whole years lived on ``today``. Someone born on 29 February turns a year older on 1 March."""
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def check_eligibility(facts: PersonFacts | None, bsn: str, today: date) -> Refusal | None:
    """None when the person may have an account, else the first reason they may not.

    R1: 14 or older, a valid BSN, and living in the Netherlands or Dutch nationality.
    """
    if not is_valid_bsn(bsn):
        return Refusal.INVALID_BSN
    if facts is None:
        return Refusal.NOT_REGISTERED
    if age_on(facts.birth_date, today) < MINIMUM_AGE:
        return Refusal.TOO_YOUNG
    if facts.residence_country != NETHERLANDS and facts.nationality != NETHERLANDS:
        return Refusal.NO_DUTCH_LINK
    return None
