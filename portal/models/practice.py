"""Practice sandboxes: one browser's own copy of a lesson's world (issue 10, item 2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, false
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
    # Joined with a class code: the class, and the nickname the learner chose (no names).
    class_id: Mapped[int | None] = mapped_column(ForeignKey("practice_class.id", ondelete="SET NULL"), index=True)
    nickname: Mapped[str | None] = mapped_column(String(30))
    # The trainer asked for a timeout drill: the learner's next page warns within seconds.
    timeout_drill: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class PracticeClass(Base):
    """A lesson a trainer gives: learners join with its short code and get sandboxes of its
    lesson; the trainer comes back to its console with the trainer code (only its hash is
    kept). No names: learners are known by the nickname they pick."""

    __tablename__ = "practice_class"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    trainer_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scenario: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class PracticeStep(Base):
    """A step of its lesson that a sandbox's learner did, the first time (for the console)."""

    __tablename__ = "practice_step"
    __table_args__ = (UniqueConstraint("sandbox_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sandbox_id: Mapped[int] = mapped_column(ForeignKey("practice_sandbox.id", ondelete="CASCADE"), index=True)
    # The endpoint whose success is the step (portal/endpoints.py names).
    step: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
