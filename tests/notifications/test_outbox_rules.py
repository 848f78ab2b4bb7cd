"""What goes in the outbox (R6): only for a confirmed address with e-mail on, one e-mail per
batch from an organisation, the 3-week reminder once per letter; and the address rules."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.demo.seed import reset_demo

from portal.domain import notifications as rules
from portal.models import (
    EmailConfirmation,
    Notification,
    NotificationKind,
    NotificationSettings,
    NotificationStatus,
)
from tests.notifications.support import days, give_address, letter_with_email, new_letter, organisation, outbox
from tests.support.login import account_of

SECRET = b"test-secret"


@pytest.mark.parametrize(
    "text",
    ["a@b.nl", "joke.de.vries+post@example.co.uk", "  lezer@example.nl  ", "x" * 243 + "@example.nl"],
)
def test_addresses_that_are_accepted(text: str) -> None:
    assert rules.check_address(text) == text.strip()


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", rules.AddressRule.MISSING),
        (" \t", rules.AddressRule.MISSING),
        ("x" * 244 + "@example.nl", rules.AddressRule.TOO_LONG),
        ("lezer.example.nl", rules.AddressRule.NOT_AN_ADDRESS),
        ("le@zer@example.nl", rules.AddressRule.NOT_AN_ADDRESS),
        ("@example.nl", rules.AddressRule.NOT_AN_ADDRESS),
        ("lezer@example", rules.AddressRule.NOT_AN_ADDRESS),
        ("lezer@.example.nl", rules.AddressRule.NOT_AN_ADDRESS),
        ("lezer@example.nl.", rules.AddressRule.NOT_AN_ADDRESS),
        ("lezer@example..nl", rules.AddressRule.NOT_AN_ADDRESS),
        ("le zer@example.nl", rules.AddressRule.NOT_AN_ADDRESS),
        ("lezer@example.nl\nBcc: x@y.nl", rules.AddressRule.NOT_AN_ADDRESS),
        ("a,lezer@example.nl", rules.AddressRule.NOT_AN_ADDRESS),
        ("Joke <lezer@example.nl>", rules.AddressRule.NOT_AN_ADDRESS),
        ('"le zer"@example.nl', rules.AddressRule.NOT_AN_ADDRESS),
    ],
)
def test_addresses_that_are_refused(text: str, rule: rules.AddressRule) -> None:
    with pytest.raises(rules.AddressError) as caught:
        rules.check_address(text)
    assert caught.value.rule is rule


def test_new_letter_is_queued_only_for_a_confirmed_address_with_email_on(
    db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    joke = account_of(db, "joke")
    org = organisation(db)

    # No address at all.
    rules.notify_new_letter(db, new_letter(db, joke.id, org.id, now))
    db.commit()
    assert outbox(db) == []

    # An address waiting for confirmation is not used.
    rules.request_confirmation(db, joke.id, "lezer@example.nl", now=now, secret=SECRET, language="nl")
    db.commit()
    rules.notify_new_letter(db, new_letter(db, joke.id, org.id, now))
    db.commit()
    assert [n.kind for n in outbox(db)] == [NotificationKind.CONFIRM_ADDRESS]

    # Confirmed, but e-mail switched off (about 7% of citizens).
    give_address(db, joke.id, "lezer@example.nl", now, notify=False)
    rules.notify_new_letter(db, new_letter(db, joke.id, org.id, now))
    rules.notify_case_change(db, joke.id, org.id)
    db.commit()
    assert [n.kind for n in outbox(db)] == [NotificationKind.CONFIRM_ADDRESS]

    # Confirmed and on.
    give_address(db, joke.id, "lezer@example.nl", now, notify=True)
    letter = new_letter(db, joke.id, org.id, now)
    rules.notify_new_letter(db, letter)
    db.commit()
    queued = outbox(db)[-1]
    assert queued.kind is NotificationKind.NEW_LETTER
    assert (queued.account_id, queued.organisation_id) == (joke.id, org.id)
    assert queued.status is NotificationStatus.PENDING and queued.attempts == 0
    assert queued.letter_id is None  # nothing about the letter itself is kept


def test_case_change_is_queued_for_a_confirmed_address(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    sanne = account_of(db, "sanne")
    org = organisation(db, "UWV")
    rules.notify_case_change(db, sanne.id, org.id)
    db.commit()
    assert outbox(db) == []
    give_address(db, sanne.id, "sanne@example.nl", now)
    rules.notify_case_change(db, sanne.id, org.id)
    db.commit()
    [queued] = outbox(db)
    assert queued.kind is NotificationKind.CASE_CHANGE and queued.organisation_id == org.id


def test_a_batch_of_letters_from_one_organisation_gives_one_email(
    db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    joke = account_of(db, "joke")
    give_address(db, joke.id, "lezer@example.nl", now)
    tax, uwv = organisation(db), organisation(db, "UWV")
    for _ in range(3):
        rules.notify_new_letter(db, new_letter(db, joke.id, tax.id, now))
    rules.notify_new_letter(db, new_letter(db, joke.id, uwv.id, now))
    rules.notify_case_change(db, joke.id, tax.id)
    db.commit()
    assert sorted((n.kind.value, n.organisation_id) for n in outbox(db)) == sorted(
        [("new_letter", tax.id), ("new_letter", uwv.id), ("case_change", tax.id)]
    )
    # Once the worker has picked a row up, the next letter gets an e-mail of its own.
    row = outbox(db)[0]
    row.attempts = 1
    db.commit()
    rules.notify_new_letter(db, new_letter(db, joke.id, tax.id, now))
    db.commit()
    assert len(outbox(db)) == 4


def test_notify_runs_inside_the_callers_transaction(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    letter_with_email(db, joke.id, "lezer@example.nl", now)
    db.rollback()  # the letter was not placed after all: no e-mail either
    assert outbox(db) == []


def test_reminder_after_exactly_21_days_and_only_once(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    give_address(db, joke.id, "lezer@example.nl", now, remind_unread=True)
    placed = now - days(30)
    letter = new_letter(db, joke.id, organisation(db).id, placed)
    db.commit()
    due = placed + days(rules.UNREAD_REMINDER_DAYS)
    assert rules.queue_unread_reminders(db, due - timedelta(seconds=1)) == 0
    assert rules.queue_unread_reminders(db, due) == 1
    db.commit()
    assert rules.queue_unread_reminders(db, due) == 0
    assert rules.queue_unread_reminders(db, due + timedelta(hours=5)) == 0
    reminders = [n for n in outbox(db) if n.kind is NotificationKind.UNREAD_REMINDER]
    assert [(n.letter_id, n.organisation_id) for n in reminders] == [(letter.id, letter.organisation_id)]


def test_reminders_only_for_those_who_asked_and_only_for_unread_letters(
    db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    joke, sanne, ahmed = (account_of(db, name) for name in ("joke", "sanne", "ahmed"))
    give_address(db, joke.id, "joke@example.nl", now, remind_unread=True)
    give_address(db, sanne.id, "sanne@example.nl", now, remind_unread=False)
    give_address(db, ahmed.id, "ahmed@example.nl", now, remind_unread=True, notify=False)
    org = organisation(db).id
    placed = now - days(rules.UNREAD_REMINDER_DAYS)
    wanted = new_letter(db, joke.id, org, placed)
    read = new_letter(db, joke.id, org, placed)
    read.first_opened_at = placed + timedelta(hours=1)
    archived = new_letter(db, joke.id, org, placed)
    archived.archived = True
    new_letter(db, joke.id, org, now - days(rules.UNREAD_REMINDER_DAYS - 1))  # not yet 3 weeks
    new_letter(db, joke.id, org, now - days(rules.UNREAD_REMINDER_DAYS + rules.UNREAD_REMINDER_WINDOW_DAYS))
    new_letter(db, sanne.id, org, placed)  # did not ask
    new_letter(db, ahmed.id, org, placed)  # e-mail off
    db.commit()
    # The letters the demo placed in Joke's box fall in the window too; count only ours.
    rules.queue_unread_reminders(db, now)
    db.commit()
    ours = {wanted.id, read.id, archived.id}
    reminded = {n.letter_id for n in outbox(db)}
    assert reminded & ours == {wanted.id}
    assert all(n.account_id == joke.id for n in outbox(db))


def test_confirmation_link_states_at_the_exact_edge(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    confirmation = rules.request_confirmation(db, joke.id, "lezer@example.nl", now=now, secret=SECRET,
                                              language="nl")
    db.commit()
    token = rules.confirmation_token(SECRET, confirmation)
    edge = now + timedelta(hours=24)
    assert rules.check_confirmation(db, joke.id, token, edge - timedelta(microseconds=1)).state is rules.ConfirmationState.VALID
    assert rules.check_confirmation(db, joke.id, token, edge).state is rules.ConfirmationState.NO_LONGER_VALID
    assert rules.confirm_address(db, joke.id, token, edge).state is rules.ConfirmationState.NO_LONGER_VALID
    assert rules.check_confirmation(db, sanne.id, token, now).state is rules.ConfirmationState.UNKNOWN
    assert rules.check_confirmation(db, joke.id, token + "x", now).state is rules.ConfirmationState.UNKNOWN
    assert rules.confirm_address(db, joke.id, token, edge - timedelta(seconds=1)).state is rules.ConfirmationState.VALID
    db.commit()
    assert rules.confirm_address(db, joke.id, token, edge - timedelta(seconds=1)).state is rules.ConfirmationState.CONFIRMED
    settings = rules.settings_for(db, joke.id)
    assert settings is not None and settings.email_address == "lezer@example.nl"


def test_demo_reset_empties_the_notification_tables(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    give_address(db, joke.id, "lezer@example.nl", now, remind_unread=True)
    rules.request_confirmation(db, joke.id, "nieuw@example.nl", now=now, secret=SECRET, language="nl")
    rules.notify_new_letter(db, new_letter(db, joke.id, organisation(db).id, now - days(21)))
    db.commit()
    rules.queue_unread_reminders(db, now)
    db.commit()
    deleted = reset_demo(db)
    assert deleted["notification"] == 3 and deleted["email_confirmation"] == 1
    assert deleted["notification_settings"] == 1
    for model in (Notification, EmailConfirmation, NotificationSettings):
        assert db.scalar(select(func.count()).select_from(model)) == 0
