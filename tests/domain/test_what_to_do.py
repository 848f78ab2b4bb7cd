"""'Wat moet ik doen?': from the structured fields of a letter or case to what the block says,
with the edges of the last day in Dutch time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from portal.domain import what_to_do
from portal.models import CaseStatus

ORGANISATION = SimpleNamespace(name="Gemeente Utrecht")
LAST_DAY = date(2026, 12, 10)


def letter(**fields):  # type: ignore[no-untyped-def]
    defaults = {"organisation": ORGANISATION, "action": None, "act_by": None, "if_not_done": None}
    return SimpleNamespace(**{**defaults, **fields})


def case(status: CaseStatus = CaseStatus.OPEN, **fields):  # type: ignore[no-untyped-def]
    defaults = {"organisation": ORGANISATION, "action": None, "act_by": None, "if_not_done": None}
    return SimpleNamespace(**{**defaults, "is_open": status is not CaseStatus.CLOSED, **fields})


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_a_letter_without_a_date_asks_nothing() -> None:
    todo = what_to_do.for_letter(letter(), at(2026, 12, 1))
    assert not todo.must_act and not todo.overdue
    assert todo.organisation == "Gemeente Utrecht"


def test_a_letter_with_a_date_says_what_and_how_many_days_are_left() -> None:
    todo = what_to_do.for_letter(letter(action="Stuur een kopie.", act_by=LAST_DAY), at(2026, 12, 1))
    assert todo.must_act and todo.action == "Stuur een kopie."
    assert todo.days_left == 9 and not todo.overdue


def test_the_last_day_counts_in_dutch_time() -> None:
    # 10 December 23:30 in Amsterdam is 22:30 UTC: still the last day.
    todo = what_to_do.for_letter(letter(act_by=LAST_DAY), at(2026, 12, 10, 22, 30))
    assert todo.days_left == 0 and not todo.overdue
    # 23:00 UTC is midnight in Amsterdam: 11 December, one day late.
    todo = what_to_do.for_letter(letter(act_by=LAST_DAY), at(2026, 12, 10, 23, 0))
    assert todo.days_left == -1 and todo.overdue


def test_a_running_case_asks_what_its_newest_change_asks() -> None:
    todo = what_to_do.for_case(case(action="Bel ons.", act_by=LAST_DAY), at(2026, 12, 9))
    assert todo.must_act and todo.days_left == 1 and todo.running


def test_a_closed_case_asks_nothing_even_with_an_old_date() -> None:
    todo = what_to_do.for_case(case(CaseStatus.CLOSED, act_by=LAST_DAY), at(2026, 12, 20))
    assert not todo.must_act and not todo.overdue and not todo.running


def test_what_happens_if_not_done_comes_from_the_sender() -> None:
    told = "Dan krijgt u een herinnering."
    todo = what_to_do.for_letter(letter(action="Betaal.", act_by=LAST_DAY, if_not_done=told), at(2026, 12, 1))
    assert todo.if_not_done == told
    running = what_to_do.for_case(case(action="Bel.", act_by=LAST_DAY, if_not_done=told), at(2026, 12, 1))
    assert running.if_not_done == told and running.must_act
