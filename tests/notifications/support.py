"""Helpers for the notification tests: confirmed addresses, letters, and reading the .eml
files the file backend writes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import notifications as rules
from portal.domain.letters import LetterDraft, place_letter
from portal.models import Letter, Notification, NotificationSettings, Organisation
from portal.notifications.backends import FileBackend
from portal.notifications.worker import Tally, Worker

# Personal content a test letter holds; none of it may reach an e-mail.
SECRET_SUBJECT = "Geheim onderwerp Q7"
SECRET_BODY = "Uw toeslag van 1234 euro wordt teruggevorderd. Geheime tekst Z9."
SECRET_REFERENCE = "REF-SECRET-42"


def give_address(
    db: Session,
    account_id: int,
    address: str,
    now: datetime,
    *,
    notify: bool = True,
    remind_unread: bool = False,
    language: str = "nl",
) -> NotificationSettings:
    """A confirmed address, set directly (the confirmation flow has tests of its own)."""
    settings = db.scalar(select(NotificationSettings).where(NotificationSettings.account_id == account_id))
    if settings is None:
        settings = NotificationSettings(account_id=account_id)
        db.add(settings)
    settings.email_address = address
    settings.confirmed_at = now
    settings.notify = notify
    settings.remind_unread = remind_unread
    settings.language = language
    settings.updated_at = now
    db.commit()
    return settings


def organisation(db: Session, name: str = "Belastingdienst") -> Organisation:
    found = db.scalar(select(Organisation).where(Organisation.name == name))
    assert found is not None, name
    return found


def new_letter(
    db: Session, account_id: int, organisation_id: int, placed_at: datetime
) -> Letter:
    draft = LetterDraft(subject=SECRET_SUBJECT, body=SECRET_BODY, reference=SECRET_REFERENCE)
    return place_letter(db, account_id=account_id, organisation_id=organisation_id, draft=draft,
                        placed_at=placed_at)


def letter_with_email(
    db: Session, account_id: int, address: str, now: datetime, *, language: str = "nl"
) -> Letter:
    """A confirmed ``address`` (``give_address``), then a new letter from the Belastingdienst
    with its e-mail in the outbox (not committed)."""
    give_address(db, account_id, address, now, language=language)
    letter = new_letter(db, account_id, organisation(db).id, now)
    rules.notify_new_letter(db, letter)
    return letter


def outbox(db: Session) -> list[Notification]:
    db.expire_all()
    return list(db.scalars(select(Notification).order_by(Notification.id)))


def read_eml(path: Path) -> EmailMessage:
    with path.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)  # type: ignore[return-value]


def mails_in(folder: Path) -> list[EmailMessage]:
    return [read_eml(path) for path in sorted(folder.glob("*.eml"))]


def send_to_files(app: Flask, folder: Path, now: datetime) -> tuple[Tally, list[EmailMessage]]:
    """Run one worker pass with the file backend into ``folder``; the messages written."""
    before = set(folder.glob("*.eml")) if folder.exists() else set()
    tally = Worker(app, FileBackend(str(folder))).process_due(now)
    written = sorted(set(folder.glob("*.eml")) - before)
    return tally, [read_eml(path) for path in written]


LINK = re.compile(r"https?://\S+/instellingen/e-mail/bevestigen/[A-Za-z0-9_-]+")


def confirmation_link(message: EmailMessage) -> str:
    found = LINK.search(message.get_content())
    assert found is not None, message.get_content()
    return found.group(0)


def path_of(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def days(n: float) -> timedelta:
    return timedelta(days=n)
