"""Tables of the built-in practice DigiD (an OpenID Connect provider for training and tests)."""

from __future__ import annotations

from datetime import datetime

from authlib.integrations.sqla_oauth2 import OAuth2AuthorizationCodeMixin
from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base
from portal.timeutil import utcnow


class PracticeLogin(Base):
    """A practice DigiD username and password for a BSN. Not a portal account."""

    __tablename__ = "practice_login"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    bsn: Mapped[str] = mapped_column(String(9))
    # Shown on the practice login page so trainers and testers know who is who.
    description: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PracticeAuthorizationCode(Base, OAuth2AuthorizationCodeMixin):
    __tablename__ = "practice_authorization_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column()

    def get_auth_time(self) -> int:
        return self.auth_time
