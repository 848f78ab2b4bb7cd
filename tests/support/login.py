"""Logging in in page tests without the DigiD round trip (that has tests of its own)."""

from __future__ import annotations

import secrets

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo.people import by_username
from portal.login_sessions import SESSION_KEY, token_hash
from portal.models import Account, LoginSession, Person


def account_of(db: Session, username: str) -> Account:
    person = by_username(username)
    assert person is not None, username
    account = db.scalar(select(Account).join(Person).where(Person.bsn == person.bsn))
    assert account is not None, f"{username} has no account"
    return account


def log_in(client: FlaskClient, db: Session, username: str) -> Account:
    return log_in_as(client, db, account_of(db, username))


def log_in_as(client: FlaskClient, db: Session, account: Account) -> Account:
    token = secrets.token_urlsafe(32)
    db.add(LoginSession(token_hash=token_hash(token), account_id=account.id))
    db.commit()
    with client.session_transaction() as session:
        session[SESSION_KEY] = token
    return account
