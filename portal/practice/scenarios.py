"""The lessons a learner can start a sandbox with, and building their worlds.

A thin seam between the sandboxes and the demo data: the scenario files of issue 10, item 3
take its place behind the same three functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from portal.demo.people import PEOPLE
from portal.demo.seed import SeedSummary, build_world


def _(msgid: str) -> str:
    """Marks a text for the catalogues; translated where it is shown (as in portal/endpoints.py)."""
    return msgid


@dataclass(frozen=True)
class Step:
    """A step of a lesson: done when the learner's request to ``endpoint`` succeeds."""

    endpoint: str  # a name of portal/endpoints.py
    label: str  # a msgid: what the trainer's console says the learner did


@dataclass(frozen=True)
class Lesson:
    key: str
    # By language code; Dutch always, the others fall back to it.
    titles: dict[str, str]
    # The practice persons in its world; the first is who the learner plays.
    people: tuple[str, ...]
    # In order; the console shows how far each learner got.
    steps: tuple[Step, ...] = ()

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles["nl"]


_LOGGED_IN = Step("auth.callback", _("Ingelogd"))


LESSONS: tuple[Lesson, ...] = (
    Lesson("beginnen", {"nl": "Beginnen: inloggen en de nieuwe brief lezen"}, ("joke",), (
        _LOGGED_IN,
        Step("messages.letter", _("Een brief geopend")),
        Step("messages.attachment", _("Een bijlage geopend")),
    )),
    Lesson("machtigen", {"nl": "Machtigen: iemand anders laten helpen"}, ("joke", "sanne"), (
        _LOGGED_IN,
        Step("mandates.request", _("Om een machtiging gevraagd")),
        Step("mandates.activate", _("De code uit de brief ingevuld")),
        Step("mandates.act_for", _("Iets gedaan voor de ander")),
        Step("mandates.end", _("Een machtiging gestopt")),
    )),
    Lesson("vrij", {"nl": "Vrij oefenen: alle oefenmensen"}, tuple(p.username for p in PEOPLE), (_LOGGED_IN,)),
)


def lessons() -> tuple[Lesson, ...]:
    return LESSONS


def lesson(key: str) -> Lesson | None:
    return next((item for item in LESSONS if item.key == key), None)


def people(key: str) -> tuple[str, ...]:
    found = lesson(key)
    if found is None:
        raise KeyError(key)
    return found.people


def build(
    session: Session,
    key: str,
    today: date,
    now: datetime,
    *,
    bsn_for: Callable[[str], str],
    sandbox_id: int,
    reference_suffix: str,
) -> SeedSummary:
    return build_world(session, people(key), today, now, bsn_for=bsn_for, sandbox_id=sandbox_id,
                       reference_suffix=reference_suffix)
