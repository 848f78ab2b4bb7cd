from __future__ import annotations

import enum

from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base

# The portal's own sender (letters about the account itself, such as mandates). An OIN is 20
# digits; this one is reserved for the portal and is never an organisation to subscribe to.
PORTAL_OIN = "00000000000000000000"


class OrganisationKind(enum.StrEnum):
    """Kinds of organisation that may connect (R8)."""

    CENTRAL_GOVERNMENT = "central_government"
    MUNICIPALITY = "municipality"
    WATER_BOARD = "water_board"
    JOINT_SERVICE = "joint_service"
    PENSION_FUND = "pension_fund"
    HEALTH_INSURER = "health_insurer"


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    oin: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(
        Enum(OrganisationKind, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])
    )
    website: Mapped[str] = mapped_column(String(300), default="")
