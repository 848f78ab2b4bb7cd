"""E-mail notifications (rule R6): the address, its confirmation, and what goes in the outbox.

An e-mail is a service, not delivery: it has no legal status, bounces are ignored, and it never
holds personal content (no subject, body, name or BSN), only that there is new post or news in
a case from an organisation. The functions here only add rows; the worker sends them later.
Every function leaves the commit to the caller.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from portal.models import (
    EmailConfirmation,
    Letter,
    Notification,
    NotificationKind,
    NotificationSettings,
    NotificationStatus,
)
from portal.timeutil import as_utc

# Named limits (see docs/limits.md).
MAX_ADDRESS_LENGTH = 254  # RFC 5321: the longest address a mail server must accept
CONFIRMATION_VALID_HOURS = 24
MAX_CONFIRMATIONS_PER_DAY = 5  # links one account may ask for in 24 hours (no mail bombing)
UNREAD_REMINDER_DAYS = 21  # R6: "a reminder after 3 weeks if still unread"
# Letters that became due longer ago than this get no reminder: switching reminders on must
# not send a pile of e-mails about old letters.
UNREAD_REMINDER_WINDOW_DAYS = 7
NONCE_BYTES = 16
# Legal only in quoted local parts that nobody uses; in a To: header they would split or
# comment the address.
_NOT_IN_ADDRESS = frozenset(',;:<>()[]\\"')


class AddressRule(enum.StrEnum):
    """Why an address is refused. Stable codes; the pages say it in words."""

    MISSING = "address_missing"
    TOO_LONG = "address_too_long"
    NOT_AN_ADDRESS = "address_not_an_address"
    TOO_MANY_LINKS = "too_many_confirmation_links"


class AddressError(ValueError):
    def __init__(self, rule: AddressRule) -> None:
        super().__init__(rule.value)
        self.rule = rule


class ConfirmationState(enum.StrEnum):
    VALID = "valid"
    CONFIRMED = "confirmed"  # the link was used already
    NO_LONGER_VALID = "no_longer_valid"  # too old, or a newer link was asked for
    UNKNOWN = "unknown"  # no such link for this account


@dataclass(frozen=True)
class ConfirmationCheck:
    state: ConfirmationState
    confirmation: EmailConfirmation | None = None


@dataclass(frozen=True)
class Recipient:
    """Where and in which language an outbox row goes, decided at send time."""

    address: str
    language: str


# -- the address -------------------------------------------------------------------------


def check_address(text: str) -> str:
    """The address, trimmed; AddressError when it is empty, too long or not an address.

    Deliberately lenient: one @, something before it, and a domain with a dot that does not
    start or end with one; no spaces, control characters or the punctuation that would turn
    it into several addresses in a mail header. The confirmation link proves the rest.
    """
    address = text.strip()
    if not address:
        raise AddressError(AddressRule.MISSING)
    if len(address) > MAX_ADDRESS_LENGTH:
        raise AddressError(AddressRule.TOO_LONG)
    local, at, domain = address.partition("@")
    if (
        not at
        or "@" in domain
        or not local
        or "." not in domain
        or domain.startswith(".")
        or domain.endswith(".")
        or ".." in domain
        or any(char.isspace() or ord(char) < 32 or ord(char) == 127 or char in _NOT_IN_ADDRESS
               for char in address)
    ):
        raise AddressError(AddressRule.NOT_AN_ADDRESS)
    return address


def settings_for(session: Session, account_id: int) -> NotificationSettings | None:
    """The account's confirmed address and wishes; None if it never confirmed one."""
    return session.scalar(
        select(NotificationSettings).where(NotificationSettings.account_id == account_id)
    )


def _settings_or_new(session: Session, account_id: int, now: datetime) -> NotificationSettings:
    settings = settings_for(session, account_id)
    if settings is None:
        settings = NotificationSettings(
            account_id=account_id, notify=True, remind_unread=False, language="nl", updated_at=now
        )
        session.add(settings)
    return settings


def confirmation_token(secret: bytes, confirmation: EmailConfirmation) -> str:
    """The token in the link of ``confirmation``: an HMAC of its random nonce.

    Derived rather than stored, so the database holds only the token's hash and the worker
    can still write the link when it sends the e-mail (possibly hours later, after retries).
    """
    digest = hmac.new(secret, b"email-confirmation:" + confirmation.nonce.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def request_confirmation(
    session: Session,
    account_id: int,
    address_text: str,
    *,
    now: datetime,
    secret: bytes,
    language: str,
) -> EmailConfirmation:
    """Check the address and queue an e-mail with a confirmation link to it.

    Earlier links of the account stop working. The confirmed address (if any) stays in use
    until the new one is confirmed. Raises AddressError.
    """
    address = check_address(address_text)
    recent = session.scalar(
        select(func.count(EmailConfirmation.id)).where(
            EmailConfirmation.account_id == account_id,
            EmailConfirmation.created_at > now - timedelta(days=1),
        )
    )
    if (recent or 0) >= MAX_CONFIRMATIONS_PER_DAY:
        raise AddressError(AddressRule.TOO_MANY_LINKS)
    _withdraw_links(session, account_id, now)
    nonce = secrets.token_hex(NONCE_BYTES)
    confirmation = EmailConfirmation(
        account_id=account_id,
        email_address=address,
        nonce=nonce,
        language=language,
        created_at=now,
        expires_at=now + timedelta(hours=CONFIRMATION_VALID_HOURS),
    )
    confirmation.token_hash = token_hash(confirmation_token(secret, confirmation))
    session.add(confirmation)
    session.flush()
    session.add(
        Notification(
            kind=NotificationKind.CONFIRM_ADDRESS,
            account_id=account_id,
            confirmation_id=confirmation.id,
            created_at=now,
            next_attempt_at=now,
        )
    )
    return confirmation


def _withdraw_links(session: Session, account_id: int, now: datetime) -> None:
    session.execute(
        update(EmailConfirmation)
        .where(
            EmailConfirmation.account_id == account_id,
            EmailConfirmation.confirmed_at.is_(None),
            EmailConfirmation.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now)
        .execution_options(synchronize_session="fetch")
    )


def pending_confirmation(session: Session, account_id: int, now: datetime) -> EmailConfirmation | None:
    """The link still waiting to be used, if there is one."""
    return session.scalar(
        select(EmailConfirmation)
        .where(
            EmailConfirmation.account_id == account_id,
            EmailConfirmation.confirmed_at.is_(None),
            EmailConfirmation.withdrawn_at.is_(None),
            EmailConfirmation.expires_at > now,
        )
        .order_by(EmailConfirmation.created_at.desc())
        .limit(1)
    )


def check_confirmation(session: Session, account_id: int, token: str, now: datetime) -> ConfirmationCheck:
    """What the link with ``token`` can do for this account. Another account's link is
    UNKNOWN, so its existence is not revealed. Valid until just before 24 hours have passed."""
    confirmation = session.scalar(
        select(EmailConfirmation).where(
            EmailConfirmation.token_hash == token_hash(token),
            EmailConfirmation.account_id == account_id,
        )
    )
    if confirmation is None:
        return ConfirmationCheck(ConfirmationState.UNKNOWN)
    if confirmation.confirmed_at is not None:
        return ConfirmationCheck(ConfirmationState.CONFIRMED, confirmation)
    if confirmation.withdrawn_at is not None or now >= as_utc(confirmation.expires_at):
        return ConfirmationCheck(ConfirmationState.NO_LONGER_VALID, confirmation)
    return ConfirmationCheck(ConfirmationState.VALID, confirmation)


def confirm_address(session: Session, account_id: int, token: str, now: datetime) -> ConfirmationCheck:
    """Use the link: its address becomes the account's address. Single use.

    Returns the check as it was before use; only a VALID one changed anything.
    """
    check = check_confirmation(session, account_id, token, now)
    if check.state is not ConfirmationState.VALID or check.confirmation is None:
        return check
    # Atomic, so two clicks at the same moment confirm once.
    used = session.execute(
        update(EmailConfirmation)
        .where(EmailConfirmation.id == check.confirmation.id, EmailConfirmation.confirmed_at.is_(None),
               EmailConfirmation.withdrawn_at.is_(None))
        .values(confirmed_at=now)
        .execution_options(synchronize_session="fetch")
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        return ConfirmationCheck(ConfirmationState.CONFIRMED, check.confirmation)
    settings = _settings_or_new(session, account_id, now)
    settings.email_address = check.confirmation.email_address
    settings.confirmed_at = now
    settings.language = check.confirmation.language
    settings.updated_at = now
    return check


def save_preferences(
    session: Session, account_id: int, *, notify: bool, remind_unread: bool, now: datetime
) -> NotificationSettings:
    """E-mail on or off, and the 3-week reminder on or off."""
    settings = _settings_or_new(session, account_id, now)
    settings.notify = notify
    settings.remind_unread = remind_unread
    settings.updated_at = now
    return settings


def remove_address(session: Session, account_id: int, now: datetime) -> None:
    """Forget the address and stop every open link. E-mails still queued are not sent."""
    _withdraw_links(session, account_id, now)
    settings = settings_for(session, account_id)
    if settings is not None:
        settings.email_address = None
        settings.confirmed_at = None
        settings.updated_at = now


# -- what goes in the outbox ---------------------------------------------------------------


def _wants_email() -> ColumnElement[bool]:
    """The settings of someone who gets e-mail: a confirmed address, and e-mail on."""
    return and_(
        NotificationSettings.email_address.is_not(None),
        NotificationSettings.confirmed_at.is_not(None),
        NotificationSettings.notify.is_(True),
    )


def _enqueue_once(session: Session, kind: NotificationKind, account_id: int, organisation_id: int) -> bool:
    """True when an e-mail will go out for this (queued now, or joined to one waiting)."""
    wants = session.scalar(
        select(exists().where(NotificationSettings.account_id == account_id, _wants_email()))
    )
    if not wants:
        return False
    # A batch of letters from one organisation gives one e-mail, not one per letter.
    waiting = session.scalar(
        select(
            exists().where(
                Notification.account_id == account_id,
                Notification.organisation_id == organisation_id,
                Notification.kind == kind,
                Notification.status == NotificationStatus.PENDING,
                Notification.attempts == 0,
                Notification.claimed_by.is_(None),
            )
        )
    )
    if not waiting:
        session.add(Notification(kind=kind, account_id=account_id, organisation_id=organisation_id))
    return True


def notify_new_letters(session: Session, organisation_id: int, account_ids: set[int]) -> set[int]:
    """``notify_new_letter`` for many boxes at once (a batch delivery): two queries, however
    many letters. Returns the accounts for which an e-mail will go out."""
    if not account_ids:
        return set()
    wanting = set(
        session.scalars(
            select(NotificationSettings.account_id).where(
                NotificationSettings.account_id.in_(account_ids), _wants_email()
            )
        )
    )
    if not wanting:
        return set()
    waiting = set(
        session.scalars(
            select(Notification.account_id).where(
                Notification.account_id.in_(wanting),
                Notification.organisation_id == organisation_id,
                Notification.kind == NotificationKind.NEW_LETTER,
                Notification.status == NotificationStatus.PENDING,
                Notification.attempts == 0,
                Notification.claimed_by.is_(None),
            )
        )
    )
    session.add_all(
        Notification(kind=NotificationKind.NEW_LETTER, account_id=account_id, organisation_id=organisation_id)
        for account_id in sorted(wanting - waiting)
    )
    return wanting


def notify_new_letter(session: Session, letter: Letter) -> bool:
    """Queue an e-mail "new post from <organisation>" for the letter's box, if its owner has
    a confirmed address and e-mail on. Call inside the transaction that places the letter.
    True when an e-mail will go out for it."""
    return _enqueue_once(session, NotificationKind.NEW_LETTER, letter.account_id, letter.organisation_id)


def notify_case_change(session: Session, account_id: int, organisation_id: int) -> None:
    """Queue an e-mail "news in a case from <organisation>" (Lopende Zaken), under the same
    conditions as ``notify_new_letter``."""
    _enqueue_once(session, NotificationKind.CASE_CHANGE, account_id, organisation_id)


def queue_unread_reminders(session: Session, now: datetime) -> int:
    """Queue one reminder per letter that has been unread for 21 days, for owners who asked
    for reminders. Never twice for a letter (a unique index guards it); letters overdue by
    more than a week are left alone. Returns the number queued."""
    due_before = now - timedelta(days=UNREAD_REMINDER_DAYS)
    not_before = due_before - timedelta(days=UNREAD_REMINDER_WINDOW_DAYS)
    already = exists().where(
        Notification.letter_id == Letter.id, Notification.kind == NotificationKind.UNREAD_REMINDER
    )
    rows = session.execute(
        select(Letter.id, Letter.account_id, Letter.organisation_id)
        .join(NotificationSettings, NotificationSettings.account_id == Letter.account_id)
        .where(
            _wants_email(),
            NotificationSettings.remind_unread.is_(True),
            Letter.first_opened_at.is_(None),
            Letter.archived.is_(False),
            Letter.placed_at <= due_before,
            Letter.placed_at > not_before,
            ~already,
        )
    ).all()
    for letter_id, account_id, organisation_id in rows:
        session.add(
            Notification(
                kind=NotificationKind.UNREAD_REMINDER,
                account_id=account_id,
                organisation_id=organisation_id,
                letter_id=letter_id,
                created_at=now,
                next_attempt_at=now,
            )
        )
    return len(rows)


# -- at send time ------------------------------------------------------------------------


def recipient_for(session: Session, notification: Notification, now: datetime) -> Recipient | None:
    """The address to use now, or None when the e-mail must not go out any more (address
    removed, e-mail switched off, link withdrawn or expired, letter read in the meantime)."""
    if notification.kind is NotificationKind.CONFIRM_ADDRESS:
        confirmation = session.get(EmailConfirmation, notification.confirmation_id)
        if (
            confirmation is None
            or confirmation.confirmed_at is not None
            or confirmation.withdrawn_at is not None
            or now >= as_utc(confirmation.expires_at)
        ):
            return None
        return Recipient(confirmation.email_address, confirmation.language)
    settings = settings_for(session, notification.account_id)
    if settings is None or not settings.email_address or settings.confirmed_at is None or not settings.notify:
        return None
    if notification.kind is NotificationKind.UNREAD_REMINDER:
        letter = session.get(Letter, notification.letter_id)
        if not settings.remind_unread or letter is None or not letter.is_unread or letter.archived:
            return None
    return Recipient(settings.email_address, settings.language)
