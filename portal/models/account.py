from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base
from portal.models.person import Person
from portal.timeutil import utcnow


class Account(Base):
    """A Berichtenbox account, created at the first login of someone who meets R1."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person] = relationship(lazy="joined")


class LoginSession(Base):
    """A server-side login session; the cookie holds only a token whose hash is stored here.

    Ending the row ends the session wherever the cookie is, even a copied one.
    """

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The mandate under which this login acts for someone else; None: for themselves.
    # No foreign key to the mandate table: ``portal.acting`` checks the mandate on every request.
    acting_mandate_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    account: Mapped[Account] = relationship(lazy="joined")
