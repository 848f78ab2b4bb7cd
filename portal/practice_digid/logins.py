"""Practice DigiD usernames and passwords (one per practice person, one shared password)."""

from __future__ import annotations

import functools

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from portal.demo.people import PRACTICE_PASSWORD, PracticePerson
from portal.models.practice_digid import PracticeLogin

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


def create_practice_login(session: Session, person: PracticePerson) -> PracticeLogin:
    """Add (or refresh) the practice login of ``person``. The caller commits.

    Idempotent: seeding twice updates the existing row instead of failing on the
    unique username.
    """
    username = normalise_username(person.username)
    login = session.scalar(select(PracticeLogin).where(PracticeLogin.username == username))
    if login is None:
        login = PracticeLogin(username=username)
        session.add(login)
    login.password_hash = _practice_password_hash()
    login.bsn = person.bsn
    login.description = person.description
    session.flush()
    return login


def check_practice_login(session: Session, username: str, password: str) -> PracticeLogin | None:
    """The login for these credentials, or None."""
    login = session.scalar(
        select(PracticeLogin).where(PracticeLogin.username == normalise_username(username))
    )
    if login is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)
        return None
    if not check_password_hash(login.password_hash, password):
        return None
    return login


def practice_logins(session: Session) -> list[PracticeLogin]:
    """All practice logins, for the table on the login page."""
    return list(session.scalars(select(PracticeLogin).order_by(PracticeLogin.id)))
