"""Everything in the database, written so that two databases with the same content compare
equal: generated ids (integers, UUIDs) are replaced by labels made from the rows' content.

A row's label is its table and its place among the table's rows sorted by content, where a
reference to another row counts as that row's label. Tables are labelled parents first; the
references that have no foreign key (``SOFT_REFERENCES``) are resolved last.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

import portal.models  # noqa: F401  (every table in the metadata)
from portal.db import Base

# Columns that hold another row's id without a foreign key: (table, column) → target table.
SOFT_REFERENCES: dict[tuple[str, str], str] = {
    ("audit_entry", "actor_id"): "account",
    ("audit_entry", "owner_id"): "account",
    ("audit_entry", "mandate_id"): "mandate",
    ("mandate", "arranged_under_id"): "mandate",
    ("login_session", "acting_mandate_id"): "mandate",
    ("practice_authorization_code", "user_id"): "practice_login",
}
# Text columns that may hold the id of a row of any table (the audit line's object).
ANY_REFERENCE = {("audit_entry", "object_id")}

Snapshot = dict[str, list[tuple[tuple[str, str], ...]]]


def _plain(value: Any) -> str:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, bytes | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, list | tuple | set | frozenset):
        return repr(sorted(str(v) for v in value))
    return repr(value)


def snapshot(db: Session, skip: Iterable[str] = ()) -> Snapshot:
    """The whole database, with labels for ids (``skip``: tables left out)."""
    skipped = set(skip)
    tables = [t for t in Base.metadata.sorted_tables if t.name not in skipped]
    soft_tables = {name for name, _ in SOFT_REFERENCES} | {name for name, _ in ANY_REFERENCE}
    ordered = [t for t in tables if t.name not in soft_tables] + [t for t in tables if t.name in soft_tables]
    labels: dict[tuple[str, str], str] = {}  # (table, id as text) → label
    by_id: dict[str, str] = {}  # id as text → label, for ANY_REFERENCE
    result: Snapshot = {}
    for table in ordered:
        rows = [dict(row._mapping) for row in db.execute(select(table))]
        described = [(_describe(table, row, labels, by_id), row) for row in rows]
        described.sort(key=lambda pair: pair[0])
        result[table.name] = [description for description, _ in described]
        key = [c.name for c in table.primary_key.columns]
        for index, (_description, row) in enumerate(described):
            label = f"{table.name}#{index}"
            if len(key) == 1:
                labels[(table.name, str(row[key[0]]))] = label
                by_id[str(row[key[0]])] = label
    return result


def _describe(table: Table, row: dict[str, Any], labels: dict[tuple[str, str], str],
              by_id: dict[str, str]) -> tuple[tuple[str, str], ...]:
    targets = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
    targets.update({column: target for (name, column), target in SOFT_REFERENCES.items() if name == table.name})
    primary = {c.name for c in table.primary_key.columns}
    parts: list[tuple[str, str]] = []
    for column, value in sorted(row.items()):
        if column in primary and column not in targets:
            continue  # a generated id: the label stands for it
        if value is None:
            parts.append((column, "None"))
        elif column in targets:
            target = targets[column]
            # A self-reference to a row not labelled yet counts by being there.
            parts.append((column, labels.get((target, str(value)), f"{target}#?")))
        elif (table.name, column) in ANY_REFERENCE:
            parts.append((column, by_id.get(str(value), _plain(value))))
        else:
            parts.append((column, _plain(value)))
    return tuple(parts)
