"""Lopende Zaken: a case an organisation runs for a citizen, its steps, history and letters."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base
from portal.models.letter import Letter
from portal.models.organisation import Organisation
from portal.timeutil import as_utc


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Case(Base):
    """A case (zaak) in a citizen's box: e.g. an application for huurtoeslag.

    ``current_step``, ``action`` and ``act_by`` repeat what the newest status change says, so
    the case list needs no look into the history of each case.
    """

    # "case" is a reserved word in SQL; a plural name needs no quoting in hand-written SQL.
    __tablename__ = "cases"
    __table_args__ = (
        # The organisation's reference identifies its case (the API finds cases by it).
        UniqueConstraint("organisation_id", "reference"),
        # Serves the citizen's lists: one box, running or closed.
        Index("ix_cases_box", "account_id", "status", "updated_at"),
    )

    # A random id, as for letters: the address of a case reveals nothing about other cases.
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    title: Mapped[str] = mapped_column(String(80))
    reference: Mapped[str] = mapped_column(String(25))
    status: Mapped[CaseStatus] = mapped_column(
        Enum(CaseStatus, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e]),
        default=CaseStatus.OPEN,
    )
    current_step: Mapped[int] = mapped_column(Integer, default=1)
    action: Mapped[str | None] = mapped_column(String(200))
    act_by: Mapped[date | None] = mapped_column(Date)
    if_not_done: Mapped[str | None] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When the citizen last looked at the case; changed after this means "Gewijzigd".
    seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    steps: Mapped[list[CaseStep]] = relationship(
        back_populates="case", order_by="CaseStep.position", cascade="all, delete-orphan",
    )
    changes: Mapped[list[CaseStatusChange]] = relationship(
        back_populates="case",
        order_by=lambda: [CaseStatusChange.at.desc(), CaseStatusChange.id.desc()],
        cascade="all, delete-orphan",
    )

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def is_new(self) -> bool:
        """The citizen has never looked at this case."""
        return self.seen_at is None

    @property
    def is_changed(self) -> bool:
        """Something happened since the citizen last looked (or they never looked)."""
        return self.seen_at is None or as_utc(self.updated_at) > as_utc(self.seen_at)

    @property
    def step_count(self) -> int:
        return len(self.steps)

    @property
    def current_step_name(self) -> str:
        return self.steps[self.current_step - 1].name


class CaseStep(Base):
    """One step of the case's process, as the organisation named it; positions start at 1."""

    __tablename__ = "case_step"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(80))

    case: Mapped[Case] = relationship(back_populates="steps")


class CaseStatusChange(Base):
    """A line in the history of a case: where it stands, in plain words, and what to do."""

    __tablename__ = "case_status_change"
    __table_args__ = (Index("ix_case_status_change_history", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    step: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(1000))
    action: Mapped[str | None] = mapped_column(String(200))
    act_by: Mapped[date | None] = mapped_column(Date)
    if_not_done: Mapped[str | None] = mapped_column(String(200))

    case: Mapped[Case] = relationship(back_populates="changes")


class CaseLetter(Base):
    """A letter in the Berichtenbox that belongs to a case ("linked letters")."""

    __tablename__ = "case_letter"
    __table_args__ = (UniqueConstraint("case_id", "letter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    letter_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("letter.id", ondelete="CASCADE"), index=True
    )

    letter: Mapped[Letter] = relationship()
