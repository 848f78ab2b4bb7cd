"""Worlds: the register itself, and each practice sandbox (issue 10, docs/practice-mode.md).

One rule, kept here: a person is found only within one world. Logging in finds the person in
the world of this browser (none on a real portal); a helper typing a BSN finds only people of
their own world. Everything else is scoped to an account already, and accounts belong to
persons, so a learner never meets another learner's practice persons.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from portal.models import Account

# The register: every real person, and the shared demo world of a development portal.
REGISTER: int | None = None


def in_world(column: Any, world: int | None) -> ColumnElement[bool]:
    """``column``, a sandbox id column, holds this world (a sandbox id, or REGISTER)."""
    if world is REGISTER:
        return column.is_(None)  # type: ignore[no-any-return]
    return column == world  # type: ignore[no-any-return]


def world_of(account: Account) -> int | None:
    return account.person.sandbox_id
