"""Practice sandboxes: each learner's browser gets its own copy of a lesson's world.

A sandbox is a row (``PracticeSandbox``) plus the practice persons that point at it, their
practice DigiD logins, and everything hanging off their accounts (letters, cases,
subscriptions, mandates, sessions, audit lines). Isolation comes from the scoping the portal
already has (every query is scoped to the logged-in account) plus one rule for the rest,
in ``portal.domain.worlds``: a person is found only within one world, the register (no
sandbox) or one sandbox. docs/practice-mode.md explains the design.

No Flask here: ``portal.practice.browser`` ties a sandbox to a browser.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.domain.bsn import is_valid_bsn
from portal.models import (
    Account,
    AuditEntry,
    Person,
    PracticeAuthorizationCode,
    PracticeLogin,
    PracticeSandbox,
    PracticeStep,
)
from portal.timeutil import as_utc

# A sandbox nobody used for this long is gone (8 hours: a lesson day, with breaks).
IDLE_HOURS = 8
IDLE_LIMIT = timedelta(hours=IDLE_HOURS)
# Activity is written at most once a minute, so a page view is not a write.
TOUCH_INTERVAL = timedelta(seconds=60)
# The practice persons one sandbox may hold (a lesson needs two or three).
MAX_PERSONS = 16
# Sandboxes alive at the same time: each takes a block of test BSNs (below).
MAX_SANDBOXES = 4000
TOKEN_BYTES = 32
# Two learners starting at the same moment may pick the same slot; the second tries again.
SLOT_ATTEMPTS = 5

# Test BSNs: a sandbox in slot s takes the valid numbers among the 8-digit prefixes
# BSN_PREFIX_START + s * BSN_BLOCK … + BSN_BLOCK - 1 (a ninth digit is the check digit). Of
# 10 prefixes that differ only in their last digit, at most one has no valid check digit, so
# a block of 20 always holds at least 17 numbers: enough for MAX_PERSONS. The blocks end
# below 99990000, where the shared demo world's numbers are (999900006 …).
BSN_PREFIX_START = 99_910_000
BSN_BLOCK = 20
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)
assert BSN_PREFIX_START + MAX_SANDBOXES * BSN_BLOCK <= 99_990_000


class NoRoomForSandbox(RuntimeError):
    """MAX_SANDBOXES are alive: a new learner has to wait until some expire."""


@dataclass(frozen=True)
class NewSandbox:
    sandbox: PracticeSandbox
    # Given to the browser once; only its hash is kept.
    token: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bsns_for_slot(slot: int) -> Iterator[str]:
    """The test BSNs of a slot, in order: the same numbers every time (a reset keeps them)."""
    if not 0 <= slot < MAX_SANDBOXES:
        raise ValueError(f"slot {slot} is outside 0 … {MAX_SANDBOXES - 1}")
    start = BSN_PREFIX_START + slot * BSN_BLOCK
    for prefix in range(start, start + BSN_BLOCK):
        digits = str(prefix)
        check = sum(w * int(d) for w, d in zip(_WEIGHTS, digits, strict=True)) % 11
        if check < 10:
            bsn = digits + str(check)
            assert is_valid_bsn(bsn)
            yield bsn


def is_expired(sandbox: PracticeSandbox, now: datetime) -> bool:
    """Idle for IDLE_HOURS or longer (exactly 8 hours idle is expired)."""
    return now - as_utc(sandbox.last_seen_at) >= IDLE_LIMIT


def find(session: Session, token: str, now: datetime) -> PracticeSandbox | None:
    """The live sandbox of this token, or None (unknown, or expired and waiting for purge)."""
    sandbox = session.scalar(select(PracticeSandbox).where(PracticeSandbox.token_hash == token_hash(token)))
    if sandbox is None or is_expired(sandbox, now):
        return None
    return sandbox


def touch(sandbox: PracticeSandbox, now: datetime) -> bool:
    """Note activity, at most once per TOUCH_INTERVAL. True when the row changed (commit it)."""
    if now - as_utc(sandbox.last_seen_at) < TOUCH_INTERVAL:
        return False
    sandbox.last_seen_at = now
    return True


def create(session: Session, scenario: str, today: date, now: datetime, *,
           class_id: int | None = None, nickname: str | None = None) -> NewSandbox:
    """A new sandbox with the world of ``scenario``, committed; in a class, with the learner's
    nickname. Raises NoRoomForSandbox."""
    for _attempt in range(SLOT_ATTEMPTS):
        slot = _free_slot(session)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        sandbox = PracticeSandbox(token_hash=token_hash(token), slot=slot, scenario=scenario,
                                  created_at=now, last_seen_at=now, class_id=class_id, nickname=nickname)
        session.add(sandbox)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()  # another learner took this slot a moment ago
            continue
        try:
            _build(session, sandbox, today, now)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        return NewSandbox(sandbox, token)
    raise NoRoomForSandbox("no free slot after several attempts")


def reset(session: Session, sandbox: PracticeSandbox, today: date, now: datetime) -> None:
    """Back to the exact starting state of its scenario, as if made ``now``. Committed."""
    try:
        _empty(session, sandbox.id)
        sandbox.created_at = now
        sandbox.last_seen_at = now
        _build(session, sandbox, today, now)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def remove(session: Session, sandbox_id: int) -> None:
    """The sandbox and its world, gone. The caller commits."""
    _empty(session, sandbox_id)
    session.execute(delete(PracticeSandbox).where(PracticeSandbox.id == sandbox_id))


def purge_idle(session: Session, now: datetime) -> int:
    """Remove every sandbox idle for IDLE_HOURS or longer; returns how many. Committed."""
    expired = list(session.scalars(
        select(PracticeSandbox.id).where(PracticeSandbox.last_seen_at <= now - IDLE_LIMIT)
    ))
    for sandbox_id in expired:
        remove(session, sandbox_id)
        session.commit()
    return len(expired)


def account_of_person(session: Session, sandbox_id: int, username: str) -> Account | None:
    """The account of practice person ``username`` in one sandbox."""
    return session.scalar(
        select(Account).join(Person, Person.id == Account.person_id)
        .join(PracticeLogin, PracticeLogin.bsn == Person.bsn)
        .where(Person.sandbox_id == sandbox_id, PracticeLogin.sandbox_id == sandbox_id,
               PracticeLogin.username == username)
    )


def live_count(session: Session) -> int:
    return len(session.scalars(select(PracticeSandbox.id)).all())


def _free_slot(session: Session) -> int:
    taken = set(session.scalars(select(PracticeSandbox.slot)))
    for slot in range(MAX_SANDBOXES):
        if slot not in taken:
            return slot
    raise NoRoomForSandbox(f"{MAX_SANDBOXES} sandboxes are in use")


def _build(session: Session, sandbox: PracticeSandbox, today: date, now: datetime) -> None:
    from portal.practice import scenarios

    people = scenarios.people(sandbox.scenario)
    if len(people) > MAX_PERSONS:
        raise ValueError(f"scenario {sandbox.scenario!r} has more than {MAX_PERSONS} persons")
    numbers = dict(zip(people, bsns_for_slot(sandbox.slot), strict=False))
    scenarios.build(session, sandbox.scenario, today, now, bsn_for=numbers.__getitem__, sandbox_id=sandbox.id,
                    reference_suffix=case_reference_suffix(sandbox.slot))


def case_reference_suffix(slot: int) -> str:
    """Added to a sandbox's case references, which are unique per organisation ("-O12")."""
    return f"-O{slot}"


def _empty(session: Session, sandbox_id: int) -> None:
    """Delete the sandbox's world (not the sandbox row). Accounts go with everything that
    points at them (ON DELETE CASCADE); the references without a foreign key are deleted
    here by hand: audit lines and the practice DigiD's unused codes."""
    accounts = select(Account.id).join(Person, Person.id == Account.person_id).where(Person.sandbox_id == sandbox_id)
    account_ids = list(session.scalars(accounts))
    logins = select(PracticeLogin.id).where(PracticeLogin.sandbox_id == sandbox_id)
    connection = session.connection()
    if account_ids:
        # On the connection, not through the ORM: a practice world's own log may go with it
        # (portal/domain/audit.py guards the ORM path of the real append-only log).
        connection.execute(delete(AuditEntry).where(
            or_(AuditEntry.actor_id.in_(account_ids), AuditEntry.owner_id.in_(account_ids))))
        connection.execute(delete(Account).where(Account.id.in_(account_ids)))
    connection.execute(delete(PracticeAuthorizationCode).where(PracticeAuthorizationCode.user_id.in_(logins)))
    connection.execute(delete(PracticeStep).where(PracticeStep.sandbox_id == sandbox_id))
    connection.execute(delete(PracticeLogin).where(PracticeLogin.sandbox_id == sandbox_id))
    connection.execute(delete(Person).where(Person.sandbox_id == sandbox_id))
    # The session may still hold objects of the rows just deleted.
    for instance in list(session.identity_map.values()):
        # Expunging a letter takes its attachments along: skip what is gone already.
        if not isinstance(instance, PracticeSandbox) and instance in session:
            session.expunge(instance)
