"""Mandates (machtigingen), help-desk staff and the audit log of what helpers did."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    JSON,
    Integer,
    String,
    Table,
    TypeDecorator,
    Uuid,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base
from portal.models.account import Account
from portal.models.organisation import Organisation
from portal.timeutil import utcnow


def _enum(kind: type[enum.StrEnum], length: int) -> Enum:
    return Enum(kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Scope(enum.StrEnum):
    """What a mandate can give. The order is the order on every page (and in the database).
    ``portal.policy`` says which endpoints each one opens."""

    READ_LETTERS = "read_letters"
    MANAGE_LETTERS = "manage_letters"
    VIEW_CASES = "view_cases"
    VIEW_PERSONAL_DATA = "view_personal_data"
    CHANGE_SETTINGS = "change_settings"
    # Only a legal representative: granting, changing and ending mandates for the citizen,
    # and reading what helpers did.
    MANAGE_MANDATES = "manage_mandates"


class ScopeSet(TypeDecorator[frozenset[Scope]]):
    """A set of scopes, stored as a JSON array of their values in ``Scope`` order.

    A mandate's scopes are read and written as a whole, with the mandate (every request of a
    helper reads them), never looked up one by one: a value column costs no extra query. A
    value that is not a ``Scope`` is refused on the way in and on the way out."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: frozenset[Scope] | set[Scope] | None, dialect: Dialect) -> list[str] | None:
        if value is None:
            return None
        chosen = {Scope(item) for item in value}
        return [scope.value for scope in Scope if scope in chosen]

    def process_result_value(self, value: list[str] | None, dialect: Dialect) -> frozenset[Scope] | None:
        if value is None:
            return None
        return frozenset(Scope(item) for item in value)


class MandateKind(enum.StrEnum):
    """The four ways in."""

    GRANTED = "granted"  # the citizen gave it; the helper accepts
    REQUESTED = "requested"  # the helper asked; the citizen approves, online or with a code
    LEGAL = "legal"  # a court appointed a representative; an administrator registered it
    ASSISTED = "assisted"  # one visit at a help desk, agreed on screen by the citizen


class LegalRole(enum.StrEnum):
    BEWINDVOERDER = "bewindvoerder"
    CURATOR = "curator"
    MENTOR = "mentor"


class EndReason(enum.StrEnum):
    REVOKED = "revoked"  # by the citizen, or by their legal representative
    RETURNED = "returned"  # the helper gave it back
    DECLINED = "declined"  # refused before it started (either side)
    WITHDRAWN = "withdrawn"  # the one who asked or offered took it back before an answer
    ENDED_BY_ADMIN = "ended_by_admin"  # a court decision ended (legal representation)
    VISIT_ENDED = "visit_ended"  # an assisted session was closed
    # It was arranged by a legal representative (given, approved or changed while acting for
    # the citizen) and that representation ended: what it arranged ends with it.
    REPRESENTATION_ENDED = "representation_ended"


mandate_letter_organisation = Table(
    "mandate_letter_organisation",
    Base.metadata,
    Column("mandate_id", ForeignKey("mandate.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)


class Mandate(Base):
    """A helper may act for a citizen, within ``scopes``, from ``starts_at`` until ``ends_at``.

    Whether it holds at a moment is decided in one place: ``portal.policy``.
    """

    __tablename__ = "mandate"
    __table_args__ = (
        Index("ix_mandate_giver", "giver_id", "ended_at"),
        Index("ix_mandate_helper", "helper_id", "ended_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    kind: Mapped[MandateKind] = mapped_column(_enum(MandateKind, 12))
    # The citizen (volmachtgever) and the helper (gemachtigde).
    giver_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    helper_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    # What the helper may do. Assign a new set to change it (a frozenset cannot change in place).
    scopes: Mapped[frozenset[Scope]] = mapped_column(ScopeSet())
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # None only for legal representation: until the court decision ends.
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    # When the other side said yes; until then the mandate gives nothing.
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[EndReason | None] = mapped_column(_enum(EndReason, 20))
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    first_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expiry_warned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The offline route: only the hash of the one-time code is kept.
    activation_code_hash: Mapped[str | None] = mapped_column(String(64))
    activation_code_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    activation_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Legal representation: the court decision.
    legal_role: Mapped[LegalRole | None] = mapped_column(_enum(LegalRole, 15))
    court_reference: Mapped[str | None] = mapped_column(String(50))
    decision_date: Mapped[date | None] = mapped_column(Date)
    # Assisted sessions: where the visit is.
    desk_name: Mapped[str | None] = mapped_column(String(100))
    # The legal representation under which someone acting for the citizen gave, approved or
    # last changed this mandate (None: the citizen did, or nobody acting did). It holds only
    # while that representation holds (``portal.policy.state_of``). No foreign key: the
    # representation may be purged 15 months after it ended, long after this one ended.
    arranged_under_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)

    giver: Mapped[Account] = relationship(foreign_keys=[giver_id], lazy="joined")
    helper: Mapped[Account] = relationship(foreign_keys=[helper_id], lazy="joined")
    letter_organisations: Mapped[list[Organisation]] = relationship(
        secondary=mandate_letter_organisation, order_by="Organisation.name"
    )
    arranged_under: Mapped[Mandate | None] = relationship(
        "Mandate",
        primaryjoin="foreign(Mandate.arranged_under_id) == remote(Mandate.id)",
        viewonly=True,
        lazy="select",
    )


class MandateAsk(Base):
    """One time a helper asked someone for a mandate, as the helper typed it: whether it
    reached anyone is never shown to the helper (issue 16). Counts towards the helper's
    limit per day, also when nobody was found. Holds no full BSN: only its last three digits
    (masked), for the helper's own list. Removed by the mandate job once it lapsed."""

    __tablename__ = "mandate_ask"
    __table_args__ = (Index("ix_mandate_ask_helper", "helper_id", "asked_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    helper_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When a request made now would lapse: the same moment whether or not anyone was found.
    lapses_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    bsn_masked: Mapped[str] = mapped_column(String(9))
    surname: Mapped[str] = mapped_column(String(200))
    # The request this ask delivered (None: nobody found, already asked, or over the
    # citizen's limit of the day). Never shown to the helper.
    mandate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mandate.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    mandate: Mapped[Mandate | None] = relationship(lazy="joined")


class HelpDeskStaff(Base):
    """Someone who may start assisted sessions at a help desk. Registered by an administrator."""

    __tablename__ = "help_desk_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), unique=True)
    desk_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditAction(enum.StrEnum):
    PAGE_VIEWED = "page_viewed"
    ACTION_TAKEN = "action_taken"
    MANDATE_EVENT = "mandate_event"
    # A page or action the grant refused (403) or that did not exist in the box (404):
    # recorded without the object, which may not be the citizen's.
    ATTEMPT_REFUSED = "attempt_refused"


class AuditEntry(Base):
    """One thing a helper saw or did for a citizen. Append-only: the app never changes or
    removes a row (``portal.domain.audit`` refuses it). Holds no BSN and no letter text."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_owner", "owner_id", "at"),
        Index("ix_audit_actor", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # No foreign keys: the record outlives the mandate (purged after 15 months).
    actor_id: Mapped[int] = mapped_column(Integer)
    owner_id: Mapped[int] = mapped_column(Integer)
    mandate_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[AuditAction] = mapped_column(_enum(AuditAction, 20))
    # What: the endpoint name (for example ``messages.letter``) or the mandate event.
    what: Mapped[str] = mapped_column(String(80))
    # Which object, when there is one: a letter or case id (random, not personal data).
    object_id: Mapped[str | None] = mapped_column(String(40))
