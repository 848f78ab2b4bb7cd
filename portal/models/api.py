"""The organisation API: clients (OAuth2 client credentials), tokens, deliveries and their
track-and-trace events."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base
from portal.models.letter import Letter
from portal.models.organisation import Organisation
from portal.timeutil import utcnow


class ApiClient(Base):
    """An organisation's API client. The secret is shown once and stored as a SHA-256 hash:
    it is 256 random bits, so a slow password hash adds nothing."""

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(48), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_client.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    client: Mapped[ApiClient] = relationship(lazy="joined")


class Delivery(Base):
    """One accepted delivery request and its confirmation (afleverbevestiging, R5).

    Unique per organisation by reference and by idempotency key: a retry finds this row and
    gets the same answer; concurrent retries collide on the constraint and only one letter
    is ever placed.
    """

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("organisation_id", "reference", name="uq_delivery_organisation_reference"),
        UniqueConstraint("organisation_id", "idempotency_key", name="uq_delivery_organisation_key"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    reference: Mapped[str] = mapped_column(String(25))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    letter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), unique=True)
    letter_type: Mapped[str] = mapped_column(String(30))
    content_sha256: Mapped[str] = mapped_column(String(64))
    delivered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    signature: Mapped[str] = mapped_column(Text)

    letter: Mapped[Letter] = relationship()


class LetterEventKind(enum.StrEnum):
    RECEIVED = "received"
    PLACED = "placed"
    NOTIFICATION_QUEUED = "notification_queued"
    NOTIFICATION_SENT = "notification_sent"


class LetterEvent(Base):
    """Track and trace of a delivered letter, for disputes (R5)."""

    __tablename__ = "letter_event"
    __table_args__ = (Index("ix_letter_event_letter", "letter_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"))
    kind: Mapped[LetterEventKind] = mapped_column(
        Enum(LetterEventKind, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SubscriptionCheck(Base):
    """One subscription check request, counted for usage reports (R9, R13). No BSNs kept."""

    __tablename__ = "subscription_check"
    __table_args__ = (Index("ix_subscription_check_organisation_at", "organisation_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    bsn_count: Mapped[int] = mapped_column()
