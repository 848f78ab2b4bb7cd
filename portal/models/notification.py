"""E-mail notifications (R6): the citizen's address and wishes, address confirmations, and the
outbox the worker sends from."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base
from portal.timeutil import utcnow


def _enum(kind: type[enum.Enum], length: int) -> Enum:
    return Enum(kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class NotificationSettings(Base):
    """The confirmed e-mail address of an account and what the citizen wants to get there.

    Only a confirmed address is kept here; an address waiting for confirmation lives in
    ``EmailConfirmation`` until its link is used.
    """

    __tablename__ = "notification_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), unique=True
    )
    email_address: Mapped[str | None] = mapped_column(String(254))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # About 7% of citizens want no e-mail at all (R6).
    notify: Mapped[bool] = mapped_column(default=True)
    remind_unread: Mapped[bool] = mapped_column(default=False)
    # The language the citizen used when they set this up: the e-mails are written in it.
    language: Mapped[str] = mapped_column(String(10), default="nl")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EmailConfirmation(Base):
    """A link sent to a new address. Only the SHA-256 of its token is stored."""

    __tablename__ = "email_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    email_address: Mapped[str] = mapped_column(String(254))
    # The token is derived from this nonce and the portal's secret key (see domain), so the
    # worker can rebuild the link at send time without the token ever being stored.
    nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(10), default="nl")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when a newer link was asked for, or the address was removed.
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationKind(enum.StrEnum):
    NEW_LETTER = "new_letter"
    CASE_CHANGE = "case_change"
    UNREAD_REMINDER = "unread_reminder"
    CONFIRM_ADDRESS = "confirm_address"


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    # Gave up after the last attempt, or the mail server refused it for good. Kept.
    FAILED = "failed"
    # Closed without sending: the address was removed, e-mail switched off, the link withdrawn.
    DROPPED = "dropped"


class Notification(Base):
    """One e-mail to send: the outbox. Holds no address and no content, only what is needed
    to write the e-mail at send time."""

    __tablename__ = "notification"
    __table_args__ = (
        # The worker's question: what is pending and due?
        Index("ix_notification_due", "status", "next_attempt_at"),
        # Reminders: at most one per letter (NULLs never collide, so other kinds are free).
        # letter_id first, so the index also serves the NOT EXISTS check and the cascade.
        UniqueConstraint("letter_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind, 20))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    letter_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("letter.id", ondelete="CASCADE")
    )
    confirmation_id: Mapped[int | None] = mapped_column(
        ForeignKey("email_confirmation.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[NotificationStatus] = mapped_column(
        _enum(NotificationStatus, 10), default=NotificationStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A worker's claim: the row is its own until lease_until; after that anyone may retry it.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Only an error class and SMTP code: server messages can hold the address.
    last_error: Mapped[str | None] = mapped_column(String(100))
