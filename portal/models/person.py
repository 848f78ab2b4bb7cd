from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base


class Person(Base):
    """A person in the population register (BRP), as far as the portal needs it."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    given_names: Mapped[str] = mapped_column(String(200))
    surname_prefix: Mapped[str] = mapped_column(String(20), default="")
    surname: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    street: Mapped[str] = mapped_column(String(200), default="")
    house_number: Mapped[str] = mapped_column(String(20), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    # ISO 3166-1 alpha-2 codes.
    residence_country: Mapped[str] = mapped_column(String(2))
    nationality: Mapped[str] = mapped_column(String(2))
    # The practice sandbox this practice person lives in; None: the register itself (and the
    # shared demo world). BSN lookups on someone's behalf stay within their own world.
    sandbox_id: Mapped[int | None] = mapped_column(ForeignKey("practice_sandbox.id"), index=True)

    @property
    def full_name(self) -> str:
        parts = [self.given_names, self.surname_prefix, self.surname]
        return " ".join(part for part in parts if part)
