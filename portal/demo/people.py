"""The practice persons of the demo world. Both the practice DigiD (logins) and the register
(Person) use them. The data is in ``portal/scenarios/files/personen.toml`` (docs/scenarios.md).

BSNs are test numbers (they start with 9999) that pass the elfproef. Ages are kept
relative to the day the data is seeded, so the 13-year-old stays 13 in a fresh demo.
"""

from __future__ import annotations

from portal.scenarios import DEMO, load_scenarios
from portal.scenarios.model import PracticePerson

__all__ = ["PEOPLE", "PRACTICE_PASSWORD", "PracticePerson", "by_username"]

# Printed on the practice login page: this is a training password, not a secret.
PRACTICE_PASSWORD = "oefenen"

PEOPLE: tuple[PracticePerson, ...] = load_scenarios()[DEMO].personas
"""Everyone in the demo world, in the order they are made."""


def by_username(username: str) -> PracticePerson | None:
    return next((p for p in PEOPLE if p.username == username), None)
