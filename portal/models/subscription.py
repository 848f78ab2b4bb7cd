from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base
from portal.timeutil import utcnow


class Subscription(Base):
    """The citizen wants post from this organisation in the Berichtenbox (R2)."""

    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("account_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
