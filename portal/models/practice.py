"""Practice sandboxes: one browser's own copy of a lesson's world (issue 10, item 2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base
from portal.timeutil import utcnow


class PracticeSandbox(Base):
    """One learner's practice world. The browser holds a token whose hash is stored here.

    Its practice persons (``Person.sandbox_id``) and their practice DigiD logins
    (``PracticeLogin.sandbox_id``) belong to it; everything else hangs off their accounts.
    ``slot`` numbers the live sandboxes from 0 and fixes their persons' test BSNs, so a reset
    gives the same numbers again.
    """

    __tablename__ = "practice_sandbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    slot: Mapped[int] = mapped_column(Integer, unique=True)
    # The key of the scenario (lesson) it was made from.
    scenario: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
