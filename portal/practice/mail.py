"""Uw e-mail: the e-mails the portal sent (or is about to send) to one sandbox's practice
persons, for the practice mail view (``/oefenen/e-mail``). Learners have no real mail here.

The source is the outbox itself (``Notification`` rows): they hang off the sandbox's accounts,
so a reset, stop or purge takes them along (``ON DELETE CASCADE``), and the text is composed
again by ``portal.notifications.emails.compose``, the code the worker sends with; its output
depends only on the row (docs/practice-mode.md, "Uw e-mail"). No Flask here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain import notifications as rules
from portal.i18n import DEFAULT_LANGUAGE
from portal.models import Account, EmailConfirmation, Notification, NotificationStatus, Person

# The newest e-mails the view lists: a lesson sends a handful.
MAX_LISTED = 50
# What a learner sees: e-mails that went out, and those waiting for the worker. Not the
# ones the worker dropped (address removed, letter read) or gave up on: nobody got them.
SHOWN = (NotificationStatus.SENT, NotificationStatus.PENDING)

_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class PracticeMail:
    notification: Notification
    person: Person

    @property
    def sent(self) -> bool:
        return self.notification.status is NotificationStatus.SENT

    @property
    def at(self) -> datetime:
        """When it was sent, or, while it waits, when it was queued."""
        return self.notification.sent_at or self.notification.created_at


def _of_sandbox(sandbox_id: int):  # type: ignore[no-untyped-def]
    return (
        select(Notification, Person)
        .join(Account, Account.id == Notification.account_id)
        .join(Person, Person.id == Account.person_id)
        .where(Person.sandbox_id == sandbox_id, Notification.status.in_(SHOWN))
    )


def mails_of(session: Session, sandbox_id: int, *, limit: int = MAX_LISTED) -> list[PracticeMail]:
    """The sandbox's e-mails, newest first (one query)."""
    newest = func.coalesce(Notification.sent_at, Notification.created_at)
    rows = session.execute(
        _of_sandbox(sandbox_id).order_by(newest.desc(), Notification.id.desc()).limit(limit)
    )
    return [PracticeMail(notification, person) for notification, person in rows]


def mail_of(session: Session, sandbox_id: int, notification_id: int) -> PracticeMail | None:
    """One e-mail of this sandbox; None for another sandbox's (or nobody's)."""
    row = session.execute(_of_sandbox(sandbox_id).where(Notification.id == notification_id)).first()
    return PracticeMail(row[0], row[1]) if row is not None else None


def recipient_of(session: Session, notification: Notification) -> rules.Recipient:
    """Where and in which language the e-mail went (or goes): the confirmation's address for
    a confirmation link, else the account's e-mail settings."""
    if notification.confirmation_id is not None:
        confirmation = session.get(EmailConfirmation, notification.confirmation_id)
        if confirmation is not None:
            return rules.Recipient(confirmation.email_address, confirmation.language)
    settings = rules.settings_for(session, notification.account_id)
    if settings is not None and settings.email_address:
        return rules.Recipient(settings.email_address, settings.language)
    return rules.Recipient("", DEFAULT_LANGUAGE)


@dataclass(frozen=True)
class Piece:
    text: str
    link: bool = False


def paragraphs(body: str, own_site: str) -> list[list[list[Piece]]]:
    """The text of an e-mail as paragraphs of lines of pieces; addresses on this portal
    (``own_site``) become links, as a mail program would show them. Other text stays text."""
    result: list[list[list[Piece]]] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines: list[list[Piece]] = []
        for line in block.splitlines():
            pieces: list[Piece] = []
            position = 0
            for found in _URL.finditer(line):
                url = found.group(0).rstrip(".,)")
                if not url.startswith(own_site.rstrip("/") + "/") and url != own_site.rstrip("/"):
                    continue
                if found.start() > position:
                    pieces.append(Piece(line[position:found.start()]))
                pieces.append(Piece(url, link=True))
                position = found.start() + len(url)
            if position < len(line):
                pieces.append(Piece(line[position:]))
            lines.append(pieces)
        result.append(lines)
    return result
