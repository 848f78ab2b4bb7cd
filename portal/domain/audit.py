"""The audit log of what helpers saw and did for a citizen. Append-only.

The app adds rows and reads them; it never changes or deletes one. ``guard`` makes any
attempt through SQLAlchemy fail, whether through the ORM or an ``update()``/``delete()``.
Rows hold ids and endpoint names, never a BSN, a name or letter text.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Delete, Update, event, select, tuple_
from sqlalchemy.orm import ORMExecuteState, Session, aliased

from portal.models import Account, AuditAction, AuditEntry, Letter, Mandate, Person
from portal.policy import LetterAccess

# How many entries one page of a log shows.
LOG_PAGE_SIZE = 50
# An id in a URL (paging position, helper) has at most this many digits; longer is ignored.
MAX_ID_DIGITS = 18
# Endpoints whose object id may be a letter in the owner's box.
LETTER_ENDPOINT_PREFIX = "messages."


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
        query = query.where(_older_than(before_id))
    return _lines(session, query.limit(limit))


def done_by(
    session: Session, actor_id: int, *, before_id: int | None = None, limit: int = LOG_PAGE_SIZE
) -> list[LogLine]:
    """What this helper did for others, newest first."""
    query = select(AuditEntry).where(AuditEntry.actor_id == actor_id, AuditEntry.owner_id != actor_id)
    if before_id is not None:
        query = query.where(_older_than(before_id))
    return _lines(session, query.limit(limit))


def _older_than(entry_id: int):  # type: ignore[no-untyped-def]
    """Entries after this one in the log's order (time, then id, newest first); none when the
    entry does not exist."""
    position = select(AuditEntry.at).where(AuditEntry.id == entry_id).scalar_subquery()
    return tuple_(AuditEntry.at, AuditEntry.id) < tuple_(position, entry_id)


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


def parse_id(text: str | None) -> int | None:
    """An entry or account id from a URL (``?voor=``, ``?helper=``); None when missing or
    not a plain number."""
    if text is None or not text.isascii() or not text.isdigit() or len(text) > MAX_ID_DIGITS:
        return None
    return int(text)


def mandates_of(session: Session, lines: list[LogLine]) -> dict[uuid.UUID, Mandate]:
    """The mandates the lines were made under (one query), to say which kind each was."""
    ids = {line.entry.mandate_id for line in lines if line.entry.mandate_id is not None}
    if not ids:
        return {}
    return {m.id: m for m in session.scalars(select(Mandate).where(Mandate.id.in_(ids))).unique()}


def letter_subjects(
    session: Session, owner_id: int, lines: list[LogLine], *, access: LetterAccess
) -> dict[str, str]:
    """Subjects of the letters the lines name that are still in the owner's box and that
    ``access`` may read, by object id (one query). Letters that are gone are left out."""
    ids: dict[uuid.UUID, str] = {}
    for line in lines:
        if line.entry.what.startswith(LETTER_ENDPOINT_PREFIX) and line.entry.object_id:
            try:
                ids[uuid.UUID(line.entry.object_id)] = line.entry.object_id
            except ValueError:
                continue
    if not ids:
        return {}
    rows = session.execute(
        select(Letter.id, Letter.subject, Letter.organisation_id, Letter.not_for_helpers).where(
            Letter.account_id == owner_id, Letter.id.in_(list(ids))
        )
    )
    return {
        ids[letter_id]: subject
        for letter_id, subject, organisation_id, not_for_helpers in rows
        if access.may_read(organisation_id, not_for_helpers)
    }


def _refuse_changes(session: Session, _context: object, _instances: object) -> None:
    for item in (*session.dirty, *session.deleted):
        if isinstance(item, AuditEntry):
            raise AuditLogIsAppendOnly("audit entries are never changed or removed")


def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    statement = state.statement
    # ``update(AuditEntry)`` holds an annotated copy of the table: compare names, not identity.
    table = getattr(statement, "table", None)
    if isinstance(statement, Update | Delete) and getattr(table, "name", None) == AuditEntry.__tablename__:
        raise AuditLogIsAppendOnly("audit entries are never changed or removed")


def guard() -> None:
    """Install the append-only guard on every SQLAlchemy session (once per process)."""
    if not event.contains(Session, "before_flush", _refuse_changes):
        event.listen(Session, "before_flush", _refuse_changes)
        event.listen(Session, "do_orm_execute", _refuse_bulk_changes)
