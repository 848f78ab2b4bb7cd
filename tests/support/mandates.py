"""Mandates in tests: make one directly, and act under it in a test client."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.login_sessions import SESSION_KEY, token_hash
from portal.models import Account, LegalRole, LoginSession, Mandate, MandateKind, Organisation
from portal.policy import HELPER_SCOPES, LEGAL_SCOPES, Scope


def make_mandate(
    db: Session,
    giver: Account,
    helper: Account,
    *,
    now: datetime,
    scopes: Iterable[Scope] = HELPER_SCOPES,
    kind: MandateKind = MandateKind.GRANTED,
    starts_at: datetime | None = None,
    ends_at: datetime | None | bool = True,
    accepted: bool = True,
    organisations: Iterable[Organisation] = (),
) -> Mandate:
    """A mandate as the domain would leave it. ``ends_at=True``: one year from now."""
    if kind is MandateKind.LEGAL and scopes is HELPER_SCOPES:
        scopes = LEGAL_SCOPES
    mandate = Mandate(
        kind=kind,
        giver_id=giver.id,
        helper_id=helper.id,
        scopes=frozenset(scopes),
        starts_at=starts_at or now - timedelta(days=1),
        ends_at=now + timedelta(days=365) if ends_at is True else ends_at or None,
        created_by_id=giver.id,
        accepted_at=now - timedelta(days=1) if accepted else None,
        legal_role=LegalRole.BEWINDVOERDER if kind is MandateKind.LEGAL else None,
        court_reference="C/16/123456" if kind is MandateKind.LEGAL else None,
        desk_name="Bibliotheek Utrecht" if kind is MandateKind.ASSISTED else None,
    )
    mandate.letter_organisations = list(organisations)
    db.add(mandate)
    db.commit()
    return mandate


def act_under(client: FlaskClient, db: Session, mandate: Mandate) -> None:
    """Make the client's current login act under this mandate (as choosing it would)."""
    with client.session_transaction() as session:
        token = session[SESSION_KEY]
    row = db.scalar(select(LoginSession).where(LoginSession.token_hash == token_hash(token)))
    assert row is not None, "log in first"
    row.acting_mandate_id = mandate.id
    db.commit()
