"""Texts that state a limit take it from where it is set (issue 18, item 2).

Two checks: every text a citizen reads (the strings of the catalogues: pages, e-mails, help
topics) states no number of minutes, hours, days, weeks, months or years of its own; and a
configured limit shows in the page that states it.
"""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session
from datetime import timedelta

from portal.domain import eligibility, mandates, notifications, visits
from portal.models import LoginSession
from portal.stated_limits import stated_limits
from portal.timeutil import utcnow
from tests.support.html import CheckedClient, normalise
from tests.support.login import log_in
from tests.test_plain_language import extracted_strings, help_topics

# A number written in the text, followed by a unit of time.
STATED_NUMBER = re.compile(r"\b\d+\s*(minuut|minuten|uur|dag|dagen|week|weken|maand|maanden|jaar)\b")
# Numbers that are facts, not limits the portal sets.
FACTS = (
    "van 8.00 tot 20.00 uur",  # the help line's opening hours
)


def _texts() -> list[str]:
    found = [text.text for text in extracted_strings()]
    for _whole, parts in help_topics():
        found += [part.text for part in parts]
    return found


def test_no_text_states_a_limit_as_a_number_of_its_own() -> None:
    offenders = []
    for text in _texts():
        rest = text
        for fact in FACTS:
            rest = rest.replace(fact, "")
        if STATED_NUMBER.search(rest):
            offenders.append(text)
    assert offenders == []


def test_the_check_catches_a_stated_number() -> None:
    assert STATED_NUMBER.search("U heeft 15 minuten niets gedaan.")
    assert STATED_NUMBER.search("Een machtiging geldt hooguit 5 jaar.")
    assert not STATED_NUMBER.search("U heeft %(num)d minuten niets gedaan.")


def test_the_stated_limits_are_the_ones_that_are_set(app: Flask) -> None:
    with app.app_context():
        limits = stated_limits()
    assert limits.idle_minutes == app.config["IDLE_TIMEOUT_SECONDS"] // 60
    assert limits.session_hours == app.config["SESSION_MAX_SECONDS"] // 3600
    assert limits.mandate_years == mandates.MAX_YEARS
    assert limits.minimum_age == eligibility.MINIMUM_AGE
    assert limits.reminder_weeks * 7 == notifications.UNREAD_REMINDER_DAYS
    assert limits.visit_minutes == visits.VISIT_MINUTES


def test_a_configured_idle_timeout_is_what_the_logged_out_page_says(
    app: Flask, client: CheckedClient, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    app.config["IDLE_TIMEOUT_SECONDS"] = 135  # PORTAL_IDLE_TIMEOUT_SECONDS=135
    log_in(client, db, "joke")
    db.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(seconds=136)))
    db.commit()
    response = client.get("/berichten/")
    assert response.location == "/uitgelogd?reden=tijd"
    text = normalise(client.page(response.location).get_text(" "))
    assert "U heeft 2 minuten niets gedaan." in text
    assert "15 minuten" not in text
    app.config["IDLE_TIMEOUT_SECONDS"] = 60
    assert "U heeft 1 minuut niets gedaan." in normalise(client.page("/uitgelogd?reden=tijd").get_text(" "))


def test_a_help_topic_states_the_mandate_limit_from_the_domain(app: Flask, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from portal.help.topics import help_topic

    monkeypatch.setattr(mandates, "MAX_YEARS", 3)
    with app.test_request_context():
        assert "hooguit 3 jaar" in str(help_topic("machtiging-wat"))


def test_the_code_hint_and_the_date_examples_follow_the_rules(app: Flask) -> None:
    from portal.mandates.forms import example_date

    assert len(mandates.CODE_EXAMPLE) == mandates.CODE_LENGTH
    assert set(mandates.CODE_EXAMPLE) <= set(mandates.CODE_ALPHABET)
    with app.app_context():
        assert stated_limits().code_length == mandates.CODE_LENGTH
    # The example date is never in the past: the last day of this year.
    assert example_date() == f"31-12-{mandates.today_in_nl(utcnow()).year}"
