"""The limits a citizen reads about, each from the one place that sets it (issue 18, item 2).

Texts never write a limit as a number of their own: a template reads ``limits.<name>`` (a
template global), a help topic writes ``%(<name>)s`` (``portal.help.topics`` fills them in),
and Python code passes the constant. Configured limits (the idle timeout, the absolute
session lifetime) follow the configuration.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import current_app

from portal.domain import eligibility, mandates, notifications, visits
from portal.practice import sandboxes

DAYS_PER_WEEK = 7
SECONDS_PER_MINUTE = 60
SECONDS_PER_HOUR = 60 * 60


@dataclass(frozen=True)
class StatedLimits:
    idle_minutes: int  # logged out after this long without activity
    session_hours: int  # logged out after this long however active
    mandate_years: int  # a machtiging lasts at most this long
    minimum_age: int  # a Berichtenbox from this age
    reminder_weeks: int  # the e-mail about an unread letter comes after this long
    visit_minutes: int  # a help-desk visit ends by itself after this long
    code_length: int  # characters in an activation code
    practice_idle_hours: int  # practice mode: a sandbox nobody used this long is wiped

    def as_values(self) -> dict[str, int]:
        return asdict(self)


def stated_limits() -> StatedLimits:
    config = current_app.config
    return StatedLimits(
        # Whole minutes and hours, never 0: "2 minuten" for a 135-second timeout.
        idle_minutes=max(1, config["IDLE_TIMEOUT_SECONDS"] // SECONDS_PER_MINUTE),
        session_hours=max(1, config["SESSION_MAX_SECONDS"] // SECONDS_PER_HOUR),
        mandate_years=mandates.MAX_YEARS,
        minimum_age=eligibility.MINIMUM_AGE,
        reminder_weeks=notifications.UNREAD_REMINDER_DAYS // DAYS_PER_WEEK,
        visit_minutes=visits.VISIT_MINUTES,
        code_length=mandates.CODE_LENGTH,
        practice_idle_hours=sandboxes.IDLE_HOURS,
    )
