"""Practice sandboxes in page tests: begin one in a test client's browser, find its persons."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.mandates import today_in_nl
from portal.models import Account, Person, PracticeLogin, PracticeSandbox
from portal.practice import browser, sandboxes
from tests.support.login import log_in_as

if TYPE_CHECKING:
    from tests.support.visits import World


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


def sandbox_world(app: Flask, db: Session, scenario: str, now: datetime) -> World:
    """A learner's browser with a new sandbox of ``scenario``: Joke's letter, case and a
    mandate for Sanne in it, for the URL walks of tests/support/visits.py."""
    from tests.support.visits import world_between

    holder = app.test_client()
    sandbox = begin(holder, db, scenario, now)
    cookie = holder.get_cookie(browser.COOKIE_NAME)
    assert cookie is not None
    world = world_between(db, account_in(db, sandbox.id, "joke"), account_in(db, sandbox.id, "sanne"), now)
    world.sandbox_id, world.token = sandbox.id, cookie.value
    return world
