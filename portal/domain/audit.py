"""The audit log of what helpers saw and did for a citizen. Append-only.

The app adds rows and reads them; it never changes or deletes one. ``guard`` makes any
attempt through SQLAlchemy fail, whether through the ORM or an ``update()``/``delete()``.
Rows hold ids and endpoint names, never a BSN, a name or letter text.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Delete, Update, event, select
from sqlalchemy.orm import ORMExecuteState, Session, aliased

from portal.models import Account, AuditAction, AuditEntry, Person

# How many entries one page of a log shows.
LOG_PAGE_SIZE = 50


class AuditLogIsAppendOnly(RuntimeError):
    pass


def record(
    session: Session,
    *,
    actor_id: int,
    owner_id: int,
    mandate_id: uuid.UUID | None,
    action: AuditAction,
    what: str,
    at: datetime,
    object_id: str | None = None,
) -> AuditEntry:
    """Add one entry. The caller commits."""
    entry = AuditEntry(
        actor_id=actor_id,
        owner_id=owner_id,
        mandate_id=mandate_id,
        action=action,
        what=what[:80],
        object_id=object_id[:40] if object_id else None,
        at=at,
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class LogLine:
    entry: AuditEntry
    actor_name: str
    owner_name: str


def _lines(session: Session, query) -> list[LogLine]:  # type: ignore[no-untyped-def]
    actor, owner = aliased(Account), aliased(Account)
    actor_person, owner_person = aliased(Person), aliased(Person)
    rows = session.execute(
        query.add_columns(actor_person, owner_person)
        .join(actor, actor.id == AuditEntry.actor_id)
        .join(actor_person, actor_person.id == actor.person_id)
        .join(owner, owner.id == AuditEntry.owner_id)
        .join(owner_person, owner_person.id == owner.person_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return [LogLine(entry, a.full_name, o.full_name) for entry, a, o in rows]


def done_for(
    session: Session, owner_id: int, *, actor_id: int | None = None, before_id: int | None = None,
    limit: int = LOG_PAGE_SIZE,
) -> list[LogLine]:
    """What others did for this citizen, newest first; optionally by one helper only."""
    query = select(AuditEntry).where(AuditEntry.owner_id == owner_id, AuditEntry.actor_id != owner_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return _lines(session, query.limit(limit))


def done_by(
    session: Session, actor_id: int, *, before_id: int | None = None, limit: int = LOG_PAGE_SIZE
) -> list[LogLine]:
    """What this helper did for others, newest first."""
    query = select(AuditEntry).where(AuditEntry.actor_id == actor_id, AuditEntry.owner_id != actor_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return _lines(session, query.limit(limit))


def helpers_in_log(session: Session, owner_id: int) -> list[tuple[int, str]]:
    """Everyone who appears in this citizen's log, for the filter: (account id, name)."""
    rows = session.execute(
        select(Account.id, Person)
        .join(Person, Person.id == Account.person_id)
        .where(
            Account.id.in_(
                select(AuditEntry.actor_id)
                .where(AuditEntry.owner_id == owner_id, AuditEntry.actor_id != owner_id)
                .distinct()
            )
        )
    )
    return sorted(((account_id, person.full_name) for account_id, person in rows), key=lambda r: r[1])


def _refuse_changes(session: Session, _context: object, _instances: object) -> None:
    for item in (*session.dirty, *session.deleted):
        if isinstance(item, AuditEntry):
            raise AuditLogIsAppendOnly("audit entries are never changed or removed")


def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, Update | Delete) and getattr(statement, "table", None) is AuditEntry.__table__:
        raise AuditLogIsAppendOnly("audit entries are never changed or removed")


def guard() -> None:
    """Install the append-only guard on every SQLAlchemy session (once per process)."""
    if not event.contains(Session, "before_flush", _refuse_changes):
        event.listen(Session, "before_flush", _refuse_changes)
        event.listen(Session, "do_orm_execute", _refuse_bulk_changes)
