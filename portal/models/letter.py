from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    false,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base
from portal.models.organisation import Organisation
from portal.timeutil import utcnow


class Letter(Base):
    """A message placed in a Berichtenbox. Placing it counts as delivered ("verstrekt", R5)."""

    __tablename__ = "letter"
    __table_args__ = (
        # Serves the inbox and archive pages: one box, newest first (keyset paging).
        Index("ix_letter_box", "account_id", "archived", "placed_at", "id"),
        Index("ix_letter_box_sender", "account_id", "organisation_id", "archived", "placed_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    subject: Mapped[str] = mapped_column(String(50))
    body: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(25))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    first_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    archived: Mapped[bool] = mapped_column(default=False)
    act_by: Mapped[date | None] = mapped_column(Date)
    action: Mapped[str | None] = mapped_column(String(200))
    # What happens if the action is not done by act_by, in the sender's words.
    if_not_done: Mapped[str | None] = mapped_column(String(200))
    sender_url: Mapped[str | None] = mapped_column(String(300))
    # Set by the sender at delivery: a helper sees that the letter exists, never its content.
    not_for_helpers: Mapped[bool] = mapped_column(default=False, server_default=false())

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="letter", order_by="Attachment.position", cascade="all, delete-orphan",
    )

    @property
    def is_unread(self) -> bool:
        return self.first_opened_at is None


class AttachmentKind(enum.StrEnum):
    PERSONAL = "personal"
    GENERAL = "general"


class Attachment(Base):
    __tablename__ = "attachment"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    letter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[AttachmentKind] = mapped_column(
        Enum(AttachmentKind, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    filename: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str] = mapped_column(String(50), default="application/pdf")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # Deferred: the inbox and letter pages never load file contents.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    letter: Mapped[Letter] = relationship(back_populates="attachments")
