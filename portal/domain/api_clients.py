"""Organisation API clients: onboarding ("aansluiten") and revocation (rule R8)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import ApiClient, Organisation
from portal.timeutil import utcnow

SCOPES = ("letters:send", "subscriptions:check", "cases:write")
CLIENT_ID_BYTES = 16
CLIENT_SECRET_BYTES = 32


def sha256(text: str) -> str:
    """Client secrets and tokens are 256 random bits: a fast hash is enough to store them."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class NewClient:
    client_id: str
    client_secret: str


def create_client(session: Session, organisation: Organisation, name: str, scopes: list[str]) -> NewClient:
    """Add a client for the organisation. The secret is returned once and never stored."""
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"Scopes must be some of {', '.join(SCOPES)}")
    client_id = secrets.token_hex(CLIENT_ID_BYTES)
    client_secret = secrets.token_urlsafe(CLIENT_SECRET_BYTES)
    session.add(
        ApiClient(
            client_id=client_id,
            secret_hash=sha256(client_secret),
            organisation_id=organisation.id,
            name=name,
            scopes=" ".join(sorted(set(scopes))),
        )
    )
    return NewClient(client_id, client_secret)


def revoke_client(session: Session, client_id: str) -> bool:
    row = session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True
