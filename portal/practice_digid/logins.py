"""Practice DigiD usernames and passwords (one per practice person, one shared password)."""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from portal.demo.people import PRACTICE_PASSWORD, PracticePerson
from portal.domain.worlds import in_world
from portal.models.practice_digid import PracticeLogin
from portal.timeutil import utcnow

# The shared practice password is printed on the login page: the hash protects nothing
# secret, it only keeps the check honest (no plain-text comparison). 50,000 rounds of
# PBKDF2 keep seeding ten persons and the test suite fast; real passwords would get
# werkzeug's default (scrypt).
PASSWORD_HASH_METHOD = "pbkdf2:sha256:50000"

# Checked when the username is unknown, so a wrong username takes as long as a wrong password.
_UNKNOWN_USER_HASH = generate_password_hash("not-a-practice-password", PASSWORD_HASH_METHOD)


def normalise_username(username: str) -> str:
    return username.strip().lower()


def hash_practice_password(password: str) -> str:
    return generate_password_hash(password, PASSWORD_HASH_METHOD)


@functools.cache
def _practice_password_hash() -> str:
    """One salted hash of the shared practice password per process. Hashing is slow on
    purpose, and the password is printed on the login page: one salt for all reveals nothing."""
    return hash_practice_password(PRACTICE_PASSWORD)


def create_practice_login(
    session: Session,
    person: PracticePerson,
    *,
    bsn: str | None = None,
    sandbox_id: int | None = None,
    now: datetime | None = None,
) -> PracticeLogin:
    """Add (or refresh) the practice login of ``person`` in one world. The caller commits.

    ``sandbox_id`` None is the shared demo world; a sandbox gives its own copy of the person
    its own ``bsn``; ``now`` dates a new login (a sandbox's reset makes it again, the
    same). Idempotent: seeding twice updates the existing row instead of adding a
    second login with the same username to the same world.
    """
    username = normalise_username(person.username)
    login = session.scalar(
        select(PracticeLogin).where(PracticeLogin.username == username, in_world(PracticeLogin.sandbox_id, sandbox_id))
    )
    if login is None:
        login = PracticeLogin(username=username, sandbox_id=sandbox_id, created_at=now or utcnow())
        session.add(login)
    login.password_hash = _practice_password_hash()
    login.bsn = bsn if bsn is not None else person.bsn
    login.description = person.description
    session.flush()
    return login


def check_practice_login(
    session: Session, username: str, password: str, *, sandbox_id: int | None = None
) -> PracticeLogin | None:
    """The login for these credentials in this world, or None."""
    login = session.scalar(
        select(PracticeLogin).where(PracticeLogin.username == normalise_username(username), in_world(PracticeLogin.sandbox_id, sandbox_id))
    )
    if login is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)
        return None
    if not check_password_hash(login.password_hash, password):
        return None
    return login


def practice_logins(session: Session, *, sandbox_id: int | None = None) -> list[PracticeLogin]:
    """The practice logins of one world, for the table on the login page."""
    return list(session.scalars(select(PracticeLogin).where(in_world(PracticeLogin.sandbox_id, sandbox_id)).order_by(PracticeLogin.id)))
