"""A refused page gives the real reason (issue 18, item 5): outside this machtiging's scope,
only for the citizen, not your role, or something no helper can ever do."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from portal.policy import Grant, Need, Refusal, Scope, refusal
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

SCOPE_TEXT = "Uw machtiging geeft hier geen toestemming voor."
NEVER_TEXT = "Dit kan een helper met een machtiging nooit doen."
SELF_TEXT = "Dit kunt u alleen voor uzelf doen."
ROLE_TITLE = "Deze pagina is voor wie aan een balie werkt"


def _refused_text(client: CheckedClient, url: str) -> str:
    soup = client.page(url, status=403)
    return normalise(soup.get_text(" "))


@pytest.fixture
def sanne_for_joke_letters_only(client: CheckedClient, db: Session, now: datetime, demo) -> CheckedClient:  # type: ignore[no-untyped-def]
    sanne = log_in(client, db, "sanne")
    act_under(client, db, make_mandate(db, account_of(db, "joke"), sanne, now=now, scopes=[Scope.READ_LETTERS]))
    return client


def test_a_scope_this_machtiging_does_not_give(sanne_for_joke_letters_only: CheckedClient) -> None:
    text = _refused_text(sanne_for_joke_letters_only, "/zaken/")
    assert SCOPE_TEXT in text and "U mag voor Joke de Vries: berichten lezen." in text
    assert NEVER_TEXT not in text and ROLE_TITLE not in text


def test_something_no_helper_can_ever_do(sanne_for_joke_letters_only: CheckedClient) -> None:
    text = _refused_text(sanne_for_joke_letters_only, "/machtigingen/")
    assert NEVER_TEXT in text and "wettelijk vertegenwoordiger" in text
    assert SCOPE_TEXT not in text


def test_only_for_the_person_themselves(sanne_for_joke_letters_only: CheckedClient) -> None:
    text = _refused_text(sanne_for_joke_letters_only, "/machtigingen/mijn-acties")
    assert SELF_TEXT in text and SCOPE_TEXT not in text


def test_the_help_desk_while_acting_and_not_staff_is_not_your_role(sanne_for_joke_letters_only: CheckedClient) -> None:
    soup = sanne_for_joke_letters_only.page("/balie/", status=403)
    assert normalise(soup.h1.get_text()) == ROLE_TITLE
    assert SCOPE_TEXT not in normalise(soup.get_text(" "))


def test_the_help_desk_while_acting_for_someone_as_staff_is_only_for_yourself(
    client: CheckedClient, db: Session, now: datetime, demo  # type: ignore[no-untyped-def]
) -> None:
    marieke = log_in(client, db, "marieke")
    act_under(client, db, make_mandate(db, account_of(db, "joke"), marieke, now=now))
    text = _refused_text(client, "/balie/")
    assert SELF_TEXT in text and ROLE_TITLE not in text


def test_the_help_desk_for_yourself_when_not_staff(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    soup = client.page("/balie/", status=403)
    assert normalise(soup.h1.get_text()) == ROLE_TITLE


def test_the_reasons_in_the_policy() -> None:
    helper = Grant(owner_id=1, scopes=frozenset({Scope.READ_LETTERS}), mandate_id=uuid.uuid4())
    assert refusal(helper, Scope.VIEW_CASES, help_desk_staff=False) is Refusal.NOT_IN_MANDATE
    assert refusal(helper, Scope.MANAGE_MANDATES, help_desk_staff=False) is Refusal.NEVER_FOR_HELPERS
    # A legal representative can hold every scope: one missing is this mandate's choice.
    assert refusal(helper, Scope.MANAGE_MANDATES, help_desk_staff=False, legal=True) is Refusal.NOT_IN_MANDATE
    assert refusal(helper, Need.SELF, help_desk_staff=False) is Refusal.ONLY_FOR_SELF
    assert refusal(helper, Need.HELP_DESK, help_desk_staff=True) is Refusal.ONLY_FOR_SELF
    assert refusal(helper, Need.HELP_DESK, help_desk_staff=False) is Refusal.NOT_YOUR_ROLE
