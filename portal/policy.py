"""Whose data a request may use and what it may do there. The one place for that rule.

Every endpoint has a row in ``portal.endpoints`` that says what it needs (a ``Scope`` or a
``Need``); an endpoint without one is refused to everybody. ``portal.acting`` looks up the
``Grant`` of the request (yourself, or a mandate) and asks ``allows``; views never check
scopes themselves. The data side of a grant (which letters a helper may open) is a
``LetterAccess`` that the mailbox queries take. No Flask here: the API and tests use it too.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from portal import endpoints
from portal.endpoints import NO_FIRST_PAGE, Need, Requirement
from portal.models import Letter, Mandate, Scope
from portal.timeutil import as_utc


# What a citizen can choose for a helper. Never MANAGE_MANDATES (only a court gives that).
HELPER_SCOPES: tuple[Scope, ...] = (
    Scope.READ_LETTERS,
    Scope.MANAGE_LETTERS,
    Scope.VIEW_CASES,
    Scope.VIEW_PERSONAL_DATA,
    Scope.CHANGE_SETTINGS,
)
LEGAL_SCOPES: tuple[Scope, ...] = (*HELPER_SCOPES, Scope.MANAGE_MANDATES)
ALL_SCOPES = frozenset(Scope)


def need_for(endpoint: str | None) -> Requirement | None:
    """The need of an endpoint; None when it has none (refused to everybody)."""
    if endpoint is None:
        return Need.ANYONE  # no route matched: the 404 page
    row = endpoints.ENDPOINTS.get(endpoint)
    return row.needs if row is not None else None


class MandateState(enum.StrEnum):
    PENDING = "pending"  # waiting for the other side to say yes
    FUTURE = "future"  # accepted, not started yet
    ACTIVE = "active"
    EXPIRED = "expired"  # its end passed
    ENDED = "ended"  # ended early, declined or withdrawn


def state_of(mandate: Mandate, now: datetime) -> MandateState:
    """The state at ``now``. A mandate holds from ``starts_at`` up to, not including, ``ends_at``,
    and one a legal representative arranged only while that representation holds: when the
    representation ends or expires, so does what it arranged, from that very moment (the
    mandate job then records the end and sends the letters)."""
    if mandate.ended_at is not None or origin_stopped(mandate, now):
        return MandateState.ENDED
    if mandate.ends_at is not None and as_utc(now) >= as_utc(mandate.ends_at):
        return MandateState.EXPIRED
    if mandate.accepted_at is None:
        return MandateState.PENDING
    if as_utc(now) < as_utc(mandate.starts_at):
        return MandateState.FUTURE
    return MandateState.ACTIVE


def origin_stopped(mandate: Mandate, now: datetime) -> bool:
    """Whether the representation this mandate was arranged under no longer holds."""
    if mandate.arranged_under_id is None:
        return False
    origin = mandate.arranged_under
    if origin is None:
        return True  # purged: it ended long ago
    return state_of(origin, now) in (MandateState.ENDED, MandateState.EXPIRED)


def scopes_of(mandate: Mandate) -> frozenset[Scope]:
    """What a mandate gives while it holds (stored as a set: ``portal.models.ScopeSet``)."""
    return mandate.scopes


@dataclass(frozen=True)
class LetterAccess:
    """Which letters of the box may be shown, and whether their content may be."""

    # None: letters of every organisation; else only of these.
    organisation_ids: frozenset[int] | None = None
    # A helper sees that a "not for helpers" letter exists, but never its content.
    hide_not_for_helpers: bool = False

    def may_read(self, organisation_id: int, not_for_helpers: bool) -> bool:
        if self.hide_not_for_helpers and not_for_helpers:
            return False
        return self.organisation_ids is None or organisation_id in self.organisation_ids


FULL_ACCESS = LetterAccess()


@dataclass(frozen=True)
class Grant:
    """What this request may do, for whose box."""

    owner_id: int
    scopes: frozenset[Scope]
    mandate_id: uuid.UUID | None = None
    letters: LetterAccess = FULL_ACCESS
    # Registered help-desk staff, acting for themselves.
    help_desk: bool = False

    @property
    def for_self(self) -> bool:
        return self.mandate_id is None

    def allows(self, requirement: Requirement | None) -> bool:
        if requirement is None:
            return False
        if requirement is Need.ANYONE:
            return True
        if requirement is Need.SELF:
            return self.for_self
        if requirement is Need.HELP_DESK:
            return self.for_self and self.help_desk
        return requirement in self.scopes


class Refusal(enum.StrEnum):
    """Why a page is refused, as the refusal page says it (issue 18, item 5)."""

    # The machtiging could give it, but this one does not.
    NOT_IN_MANDATE = "not_in_mandate"
    # No machtiging can give it: only the citizen or a legal representative (MANAGE_MANDATES).
    NEVER_FOR_HELPERS = "never_for_helpers"
    # Only for yourself (your own mandates, your own log, the help desk): stop acting first.
    ONLY_FOR_SELF = "only_for_self"
    # Only for registered help-desk staff, which this person is not.
    NOT_YOUR_ROLE = "not_your_role"


def refusal(grant: Grant, requirement: Requirement, *, help_desk_staff: bool, legal: bool = False) -> Refusal:
    """Why ``grant`` does not allow ``requirement`` (call only when it does not).
    ``legal``: the grant is a legal representative's, which can hold every scope."""
    if requirement is Need.HELP_DESK:
        return Refusal.ONLY_FOR_SELF if help_desk_staff else Refusal.NOT_YOUR_ROLE
    if requirement is Need.SELF:
        return Refusal.ONLY_FOR_SELF
    if requirement not in HELPER_SCOPES and not grant.for_self and not legal:
        # A helper's machtiging never holds it; only a court's decision does.
        return Refusal.NEVER_FOR_HELPERS
    return Refusal.NOT_IN_MANDATE


def grant_for_self(account_id: int, *, help_desk: bool = False) -> Grant:
    return Grant(owner_id=account_id, scopes=ALL_SCOPES, help_desk=help_desk)


def grant_under(mandate: Mandate, helper_id: int, now: datetime) -> Grant | None:
    """The grant a mandate gives its helper at ``now``, or None when it gives nothing."""
    if mandate.helper_id != helper_id or state_of(mandate, now) is not MandateState.ACTIVE:
        return None
    return grant_for_mandate(mandate)


def grant_for_mandate(mandate: Mandate) -> Grant:
    """What a mandate gives while it holds (``grant_under`` decides whether it holds)."""
    scopes = scopes_of(mandate)
    organisations = frozenset(o.id for o in mandate.letter_organisations) or None
    return Grant(
        owner_id=mandate.giver_id,
        scopes=scopes,
        mandate_id=mandate.id,
        letters=LetterAccess(organisation_ids=organisations, hide_not_for_helpers=True),
    )


def first_endpoint(grant: Grant) -> str:
    """Where a helper lands after choosing: the first area the grant opens
    (``first_page`` in ``portal.endpoints``)."""
    pages = endpoints.ENDPOINTS.first_pages
    return next((endpoint for endpoint, scope in pages if scope in grant.scopes), NO_FIRST_PAGE)


def readable_letters(grant: Grant, letters: Iterable[Letter]) -> list[Letter]:
    """The letters of a list (a case's linked letters, say) this grant may open."""
    if Scope.READ_LETTERS not in grant.scopes:
        return []
    return [letter for letter in letters if grant.letters.may_read(letter.organisation_id, letter.not_for_helpers)]
