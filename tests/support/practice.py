"""Practice sandboxes in page tests: begin one in a test client's browser, find its persons."""

from __future__ import annotations

from datetime import datetime

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.mandates import today_in_nl
from portal.models import Account, Person, PracticeLogin, PracticeSandbox
from portal.practice import browser, sandboxes
from tests.support.login import log_in_as


def begin(client: FlaskClient, db: Session, scenario: str, now: datetime) -> PracticeSandbox:
    """A new sandbox of ``scenario``, held by ``client``'s browser (its cookie), as
    "Begin met oefenen" does."""
    made = sandboxes.create(db, scenario, today_in_nl(now), now)
    client.set_cookie(browser.COOKIE_NAME, made.token)
    return made.sandbox


def account_in(db: Session, sandbox_id: int, username: str) -> Account:
    """The account of practice person ``username`` in one sandbox."""
    bsn = db.scalar(select(PracticeLogin.bsn).where(PracticeLogin.sandbox_id == sandbox_id,
                                                    PracticeLogin.username == username))
    assert bsn is not None, f"no {username} in sandbox {sandbox_id}"
    account = db.scalar(select(Account).join(Person, Person.id == Account.person_id)
                        .where(Person.bsn == bsn, Person.sandbox_id == sandbox_id))
    assert account is not None, f"{username} has no account in sandbox {sandbox_id}"
    return account


def log_in_sandbox(client: FlaskClient, db: Session, sandbox_id: int, username: str) -> Account:
    return log_in_as(client, db, account_in(db, sandbox_id, username))
