"""The policy rules on their own: when a mandate holds, and what a grant allows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.dialects import sqlite

from portal import policy
from portal.endpoints import ENDPOINTS
from portal.models import EndReason, Mandate, MandateKind, Organisation
from portal.models.mandate import ScopeSet
from portal.policy import HELPER_SCOPES, MandateState, Need, Scope

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def mandate(**changes: object) -> Mandate:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "kind": MandateKind.GRANTED,
        "giver_id": 1,
        "helper_id": 2,
        "scopes": frozenset({Scope.READ_LETTERS, Scope.VIEW_CASES}),
        "starts_at": NOW - timedelta(days=1),
        "ends_at": NOW + timedelta(days=1),
        "accepted_at": NOW - timedelta(days=1),
        "ended_at": None,
    }
    fields.update(changes)
    found = Mandate(**fields)
    found.letter_organisations = []
    return found


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({}, MandateState.ACTIVE),
        ({"accepted_at": None}, MandateState.PENDING),
        ({"starts_at": NOW + timedelta(microseconds=1)}, MandateState.FUTURE),
        ({"starts_at": NOW}, MandateState.ACTIVE),
        ({"ends_at": NOW + timedelta(microseconds=1)}, MandateState.ACTIVE),
        ({"ends_at": NOW}, MandateState.EXPIRED),
        ({"ends_at": None}, MandateState.ACTIVE),
        ({"ended_at": NOW - timedelta(seconds=1), "end_reason": EndReason.REVOKED}, MandateState.ENDED),
        # An ended mandate stays ended, whatever its dates say.
        ({"ended_at": NOW, "ends_at": NOW - timedelta(days=1)}, MandateState.ENDED),
    ],
)
def test_state_at_the_exact_edges(changes: dict[str, object], state: MandateState) -> None:
    assert policy.state_of(mandate(**changes), NOW) is state


def test_only_an_active_mandate_of_this_helper_gives_a_grant() -> None:
    active = mandate()
    grant = policy.grant_under(active, helper_id=2, now=NOW)
    assert grant is not None
    assert grant.owner_id == 1
    assert grant.scopes == {Scope.READ_LETTERS, Scope.VIEW_CASES}
    assert grant.letters.hide_not_for_helpers is True
    assert grant.letters.organisation_ids is None
    assert policy.grant_under(active, helper_id=3, now=NOW) is None
    assert policy.grant_under(mandate(ends_at=NOW), helper_id=2, now=NOW) is None
    assert policy.grant_under(mandate(accepted_at=None), helper_id=2, now=NOW) is None


def test_a_grant_allows_its_scopes_and_nothing_else() -> None:
    grant = policy.grant_under(mandate(), helper_id=2, now=NOW)
    assert grant is not None
    assert grant.allows(Scope.READ_LETTERS)
    assert not grant.allows(Scope.MANAGE_LETTERS)
    assert not grant.allows(Scope.MANAGE_MANDATES)
    assert grant.allows(Need.ANYONE)
    assert not grant.allows(Need.SELF)
    assert not grant.allows(Need.HELP_DESK)
    assert not grant.allows(None)


def test_yourself_may_do_everything_for_yourself_but_the_help_desk_only_when_staff() -> None:
    yourself = policy.grant_for_self(7)
    assert all(yourself.allows(scope) for scope in Scope)
    assert yourself.allows(Need.SELF)
    assert not yourself.allows(Need.HELP_DESK)
    assert policy.grant_for_self(7, help_desk=True).allows(Need.HELP_DESK)
    # An endpoint missing from the table is refused even to yourself.
    assert not yourself.allows(policy.need_for("no.such_endpoint"))


def test_an_organisation_limited_mandate_reads_only_those_letters() -> None:
    limited = mandate()
    limited.letter_organisations = [Organisation(id=5, oin="1" * 20, name="UWV")]
    grant = policy.grant_under(limited, helper_id=2, now=NOW)
    assert grant is not None
    assert grant.letters.may_read(5, not_for_helpers=False)
    assert not grant.letters.may_read(6, not_for_helpers=False)
    assert not grant.letters.may_read(5, not_for_helpers=True)
    assert policy.FULL_ACCESS.may_read(6, not_for_helpers=True)


def test_a_citizen_can_never_give_the_right_to_manage_mandates() -> None:
    assert Scope.MANAGE_MANDATES not in HELPER_SCOPES
    assert Scope.MANAGE_MANDATES in policy.LEGAL_SCOPES


def test_scopes_survive_a_round_trip_in_a_fixed_order() -> None:
    column = ScopeSet()
    stored = column.process_bind_param({Scope.VIEW_CASES, Scope.READ_LETTERS}, sqlite.dialect())
    assert stored == ["read_letters", "view_cases"]
    assert column.process_result_value(stored, sqlite.dialect()) == {Scope.READ_LETTERS, Scope.VIEW_CASES}
    assert policy.scopes_of(mandate(scopes=column.process_result_value(stored, sqlite.dialect()))) == {
        Scope.READ_LETTERS, Scope.VIEW_CASES}
    # Anything that is not a scope is refused both ways: no set of strings tested by substring.
    with pytest.raises(ValueError):
        column.process_bind_param({"read_letters,view_cases"}, sqlite.dialect())
    with pytest.raises(ValueError):
        column.process_result_value(["read"], sqlite.dialect())


def test_a_helper_lands_on_the_first_area_the_mandate_opens() -> None:
    cases_only = policy.grant_under(mandate(scopes=frozenset({Scope.VIEW_CASES})), helper_id=2, now=NOW)
    assert cases_only is not None
    assert policy.first_endpoint(cases_only) == "cases.index"
    assert policy.first_endpoint(policy.grant_for_self(1)) == "messages.inbox"


def test_every_endpoint_need_is_a_scope_or_a_need() -> None:
    for endpoint, need in ENDPOINTS.needs.items():
        assert isinstance(need, Scope | Need), endpoint
