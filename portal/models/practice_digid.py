"""Tables of the built-in practice DigiD (an OpenID Connect provider for training and tests)."""

from __future__ import annotations

from datetime import datetime

from authlib.integrations.sqla_oauth2 import OAuth2AuthorizationCodeMixin
from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base
from portal.timeutil import utcnow


class PracticeLogin(Base):
    """A practice DigiD username and password for a BSN. Not a portal account."""

    __tablename__ = "practice_login"
    # One "joke" per sandbox. NULLs are distinct to a unique constraint, so the shared demo
    # world keeps its usernames unique in ``create_practice_login`` (it looks before it adds).
    __table_args__ = (UniqueConstraint("sandbox_id", "username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(200))
    bsn: Mapped[str] = mapped_column(String(9))
    # Shown on the practice login page so trainers and testers know who is who.
    description: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The practice sandbox whose person this is; None: the shared demo world.
    sandbox_id: Mapped[int | None] = mapped_column(ForeignKey("practice_sandbox.id"), index=True)


class PracticeAuthorizationCode(Base, OAuth2AuthorizationCodeMixin):
    __tablename__ = "practice_authorization_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column()

    def get_auth_time(self) -> int:
        return self.auth_time
