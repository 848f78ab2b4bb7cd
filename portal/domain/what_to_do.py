"""'Wat moet ik doen?': what a letter or case asks of the citizen, from its structured fields.

Organisations send ``action`` (what to do, in their words) and ``act_by`` (the last day) with a
letter or a status change. From these, the organisation and today's Dutch date this module
decides what the block on every letter and case says: whether you must do something, what,
by when, how many days are left, what happens if you do not (``if_not_done``, in the sender's
words, else a general line) and what to do when the date has passed. A letter without
``act_by`` and a case without one need nothing from you.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from portal.domain.mandates import today_in_nl
from portal.models import Case, Letter


@dataclass(frozen=True)
class WhatToDo:
    organisation: str
    action: str | None = None  # None with an act_by: "read the letter", it says what to do
    act_by: date | None = None
    if_not_done: str | None = None  # what happens then, in the sender's words
    today: date | None = None
    running: bool = True  # a case that is closed asks nothing any more

    @property
    def must_act(self) -> bool:
        return self.act_by is not None and self.running

    @property
    def days_left(self) -> int:
        """Days until the last day: 0 on the day itself, negative once it has passed."""
        assert self.act_by is not None and self.today is not None
        return (self.act_by - self.today).days

    @property
    def overdue(self) -> bool:
        return self.must_act and self.days_left < 0


def _of(item: Letter | Case, now: datetime, *, running: bool = True) -> WhatToDo:
    """Letters and cases carry the same structured fields, filled in by the organisation."""
    return WhatToDo(
        organisation=item.organisation.name,
        action=item.action,
        act_by=item.act_by,
        if_not_done=item.if_not_done,
        today=today_in_nl(now),
        running=running,
    )


def for_letter(letter: Letter, now: datetime) -> WhatToDo:
    return _of(letter, now)


def for_case(case: Case, now: datetime) -> WhatToDo:
    return _of(case, now, running=case.is_open)
