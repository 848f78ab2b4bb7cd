"""The worker with the file backend: what an e-mail says (and never says), the address looked
up at send time, crash recovery by lease, backoff, giving up, and the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.config import MAX_SEND_ATTEMPTS, NOTIFICATION_LEASE_SECONDS
from portal.demo.people import by_username
from portal.domain import notifications as rules
from portal.models import Notification, NotificationStatus
from portal.notifications import outbox as queue
from portal.notifications.backends import FileBackend, MailUnavailable
from portal.notifications.worker import Worker
from tests.notifications.support import (
    SECRET_BODY,
    SECRET_REFERENCE,
    SECRET_SUBJECT,
    days,
    give_address,
    letter_with_email,
    mails_in,
    new_letter,
    organisation,
    outbox,
    send_to_files,
)
from tests.support.login import account_of

# Rows queued during the test are due a little after the ``now`` fixture.
LATER = timedelta(minutes=1)


class DownBackend:
    """A mail server that cannot be reached."""

    def connection(self):  # type: ignore[no-untyped-def]
        raise MailUnavailable("cannot connect") from ConnectionRefusedError(111, "refused")


def test_emails_hold_no_personal_content(app: Flask, db: Session, demo, now: datetime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    person = by_username("joke")
    assert person is not None
    give_address(db, joke.id, "lezer1@example.nl", now, remind_unread=True)
    tax = organisation(db)
    letter = new_letter(db, joke.id, tax.id, now - days(rules.UNREAD_REMINDER_DAYS))
    rules.notify_new_letter(db, letter)
    rules.notify_case_change(db, joke.id, organisation(db, "UWV").id)
    db.commit()
    assert rules.queue_unread_reminders(db, now + LATER) == 1
    db.commit()
    tally, mails = send_to_files(app, tmp_path, now + LATER)
    assert tally.sent == 3 and len(mails) == 3
    by_subject = {m["Subject"]: m for m in mails}
    assert set(by_subject) == {
        "U heeft nieuwe post in uw Berichtenbox",
        "Er is nieuws over uw zaak",
        "Herinnering: er is post die u nog niet heeft gelezen",
    }
    assert "nieuwe post van Belastingdienst" in by_subject["U heeft nieuwe post in uw Berichtenbox"].get_content()
    assert "uw zaak bij UWV" in by_subject["Er is nieuws over uw zaak"].get_content()
    assert "3 weken geleden" in by_subject["Herinnering: er is post die u nog niet heeft gelezen"].get_content()
    personal = [SECRET_SUBJECT, "Geheim", SECRET_BODY[:20], SECRET_REFERENCE, str(letter.id),
                person.given_names, person.surname, person.full_name, person.bsn,
                person.street, person.postcode, person.city]
    for message in mails:
        raw = message.as_string()
        content = message.get_content()
        assert message["To"] == "lezer1@example.nl"
        assert "Ga naar http://localhost" in content  # how to log in: the portal's BASE_URL
        assert "http://localhost/instellingen/e-mail" in content
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Content-Language"] == "nl"
        for text in personal:
            assert text not in raw, text
            assert text not in content, text


def test_file_backend_writes_an_eml_file_per_email(app: Flask, db: Session, demo, now: datetime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    letter_with_email(db, joke.id, "lezer@example.nl", now)
    db.commit()
    folder = tmp_path / "mail"
    worker = Worker(app, FileBackend(str(folder)))
    assert worker.process_due(now + LATER).sent == 1
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].suffix == ".eml"
    [message] = mails_in(folder)
    [row] = outbox(db)
    assert message["X-Portal-Notification"] == str(row.id)
    assert f"notification-{row.id}@localhost" in message["Message-ID"]
    assert row.status is NotificationStatus.SENT and row.attempts == 1 and row.lease_until is None
    assert worker.process_due(now + days(1)).sent == 0  # sent once, never again


def test_the_default_backend_writes_into_the_instance_mail_folder(app: Flask) -> None:
    worker = Worker(app)
    assert isinstance(worker.backend, FileBackend)
    assert worker.backend.folder == str(Path(app.instance_path) / "mail")


def test_address_is_looked_up_when_sending(app: Flask, db: Session, demo, now: datetime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    letter_with_email(db, joke.id, "oud@example.nl", now)
    letter_with_email(db, sanne.id, "sanne@example.nl", now)
    db.commit()
    give_address(db, joke.id, "nieuw@example.nl", now)  # changed before the worker ran
    rules.remove_address(db, sanne.id, now)  # removed: nothing is sent
    db.commit()
    tally, mails = send_to_files(app, tmp_path, now + LATER)
    assert [m["To"] for m in mails] == ["nieuw@example.nl"]
    assert (tally.sent, tally.dropped) == (1, 1)
    statuses = {n.account_id: n.status for n in outbox(db)}
    assert statuses == {joke.id: NotificationStatus.SENT, sanne.id: NotificationStatus.DROPPED}


def test_switching_off_or_reading_the_letter_closes_queued_emails(
    app: Flask, db: Session, demo, now: datetime, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    give_address(db, joke.id, "joke@example.nl", now, remind_unread=True)
    give_address(db, sanne.id, "sanne@example.nl", now)
    org = organisation(db).id
    letter = new_letter(db, joke.id, org, now - days(rules.UNREAD_REMINDER_DAYS))
    rules.notify_new_letter(db, new_letter(db, sanne.id, org, now))
    db.commit()
    rules.queue_unread_reminders(db, now)
    letter.first_opened_at = now  # read after the reminder was queued
    rules.save_preferences(db, sanne.id, notify=False, remind_unread=False, now=now)
    db.commit()
    tally, mails = send_to_files(app, tmp_path, now + LATER)
    assert mails == [] and tally.dropped == 2
    assert {n.status for n in outbox(db)} == {NotificationStatus.DROPPED}


def test_a_crash_mid_send_is_retried_after_the_lease(app: Flask, db: Session, demo, now: datetime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    letter_with_email(db, joke.id, "lezer@example.nl", now)
    db.commit()
    start = now + LATER
    crashed = queue.claim(db, "crashed-worker", start)  # claimed, then the process died
    assert len(crashed.notifications) == 1
    lease_end = start + timedelta(seconds=NOTIFICATION_LEASE_SECONDS)
    tally, mails = send_to_files(app, tmp_path, lease_end)
    assert mails == [] and not tally  # the lease still holds at its last moment
    tally, mails = send_to_files(app, tmp_path, lease_end + timedelta(microseconds=1))
    assert tally.sent == 1 and len(mails) == 1
    [row] = outbox(db)
    assert row.status is NotificationStatus.SENT and row.attempts == 2
    # The crashed worker, had it woken up, cannot close a row it no longer holds.
    assert queue.mark_sent(db, crashed.notifications[0], crashed.token, lease_end) is False


def test_backoff_doubles_from_one_minute_to_at_most_an_hour() -> None:
    delays = [queue.retry_delay(n).total_seconds() for n in range(1, 10)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_after_the_last_attempt_the_row_is_failed_and_kept(app: Flask, db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    letter_with_email(db, joke.id, "lezer@example.nl", now)
    db.commit()
    worker = Worker(app, DownBackend())
    moment = now + LATER
    for attempt in range(1, MAX_SEND_ATTEMPTS + 1):
        tally = worker.process_due(moment)
        [row] = outbox(db)
        assert row.attempts == attempt
        if attempt < MAX_SEND_ATTEMPTS:
            assert tally.retried == 1 and row.status is NotificationStatus.PENDING
            assert row.last_error == "MailUnavailable(ConnectionRefusedError)"
            moment = moment + queue.retry_delay(attempt)
    assert tally.failed == 1
    assert row.status is NotificationStatus.FAILED and row.closed_at is not None
    assert not worker.process_due(moment + days(7))
    assert db.scalar(select(Notification.status)) is NotificationStatus.FAILED


def test_reminders_are_queued_by_the_worker(app: Flask, db: Session, demo, now: datetime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    give_address(db, joke.id, "lezer@example.nl", now, remind_unread=True)
    new_letter(db, joke.id, organisation(db).id, now - days(rules.UNREAD_REMINDER_DAYS))
    db.commit()
    worker = Worker(app, FileBackend(str(tmp_path)))
    assert worker.queue_reminders(now) == 1
    assert worker.queue_reminders(now) == 0
    assert worker.process_due(now).sent == 1


def test_cli_run_once_and_status(app: Flask, db: Session, demo, now: datetime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    letter_with_email(db, joke.id, "lezer@example.nl", now)
    db.commit()
    app.config["MAIL_DIR"] = str(tmp_path / "cli-mail")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    assert "lezer@example.nl" not in result.output
    assert len(list((tmp_path / "cli-mail").glob("*.eml"))) == 1
    result = runner.invoke(args=["notifications", "status"])
    assert result.exit_code == 0 and "sent: 1" in result.output
    assert "accounts with e-mail on: 1" in result.output


@pytest.mark.parametrize("language", ["en", "xx"])
def test_the_email_language_follows_the_settings(app: Flask, db: Session, demo, now: datetime,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path, language: str) -> None:
    joke = account_of(db, "joke")
    letter_with_email(db, joke.id, "lezer@example.nl", now, language=language)
    db.commit()
    _tally, [message] = send_to_files(app, tmp_path, now + LATER)
    assert isinstance(message, EmailMessage)
    assert message["Content-Language"] == ("en" if language == "en" else "nl")
