"""Way in (c): legal representatives registered by an administrator from a court decision."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo.people import by_username
from portal.domain import legal
from portal.domain import mandates as mandate_rules
from portal.models import EndReason, LegalRole, Letter, Mandate, MandateKind
from portal.policy import LEGAL_SCOPES, MandateState, Scope, scopes_of, state_of
from tests.support.login import account_of, log_in
from tests.support.html import CheckedClient

HENK, KEES, JOKE, SANNE = (by_username(name).bsn for name in ("henk", "kees", "joke", "sanne"))


def cli(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def add(app: Flask, client_bsn: str, rep_bsn: str, *extra: str, role: str = "bewindvoerder",
        reference: str = "C/16/123456 / BW RK 26-1", decided: str = "2026-01-15"):  # type: ignore[no-untyped-def]
    return cli(app, "mandates", "add-representative", "--client-bsn", client_bsn, "--representative-bsn", rep_bsn,
               "--role", role, "--court-reference", reference, "--decision-date", decided, *extra)


def legal_of(db: Session, client_username: str, rep_username: str) -> list[Mandate]:
    db.expire_all()
    return list(db.scalars(select(Mandate).where(
        Mandate.kind == MandateKind.LEGAL,
        Mandate.giver_id == account_of(db, client_username).id,
        Mandate.helper_id == account_of(db, rep_username).id,
    )).unique())


def letters_of(db: Session, username: str) -> list[Letter]:
    db.expire_all()
    return list(db.scalars(select(Letter).where(Letter.account_id == account_of(db, username).id)
                           .order_by(Letter.placed_at.desc())))


def test_add_representative_registers_an_accepted_legal_mandate(app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    before = len(letters_of(db, "joke"))
    result = add(app, JOKE, SANNE, role="mentor", reference="C/16/555 / ME RK 26-7", decided="2026-03-02")
    assert result.exit_code == 0, result.output
    [mandate] = legal_of(db, "joke", "sanne")
    assert mandate.legal_role is LegalRole.MENTOR
    assert mandate.court_reference == "C/16/555 / ME RK 26-7"
    assert mandate.decision_date == date(2026, 3, 2)
    assert mandate.starts_at.replace(tzinfo=None) == mandate_rules.start_of_day(date(2026, 3, 2)).replace(tzinfo=None)
    assert mandate.ends_at is None and mandate.accepted_at is not None and mandate.created_by_id is None
    assert scopes_of(mandate) == set(legal.DEFAULT_SCOPES[LegalRole.MENTOR])
    assert Scope.MANAGE_MANDATES in scopes_of(mandate)
    # The citizen gets a letter; the output shows no full BSN and no name.
    assert len(letters_of(db, "joke")) == before + 1
    assert "Iemand mag dingen voor u doen" == letters_of(db, "joke")[0].subject
    assert JOKE not in result.output and SANNE not in result.output and "Joke" not in result.output
    assert "******" + JOKE[-3:] in result.output


def test_until_and_explicit_scopes(app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    result = add(app, JOKE, SANNE, "--until", "2030-06-30", "--scope", "view_cases", "--scope", "read_letters")
    assert result.exit_code == 0, result.output
    [mandate] = legal_of(db, "joke", "sanne")
    assert mandate_rules.last_day(mandate) == date(2030, 6, 30)
    assert scopes_of(mandate) == {Scope.READ_LETTERS, Scope.VIEW_CASES}


@pytest.mark.parametrize("role", list(LegalRole))
def test_default_scopes_per_role(role: LegalRole) -> None:
    scopes = legal.DEFAULT_SCOPES[role]
    assert set(scopes) <= set(LEGAL_SCOPES) and Scope.MANAGE_MANDATES in scopes
    if role is LegalRole.CURATOR:
        assert scopes == LEGAL_SCOPES


def test_person_without_account_is_told_clearly(app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    klaus = by_username("klaus").bsn  # in the register, but no account (R1)
    result = add(app, klaus, KEES)
    assert result.exit_code != 0
    assert "has no Burgerportaal account" in result.output and klaus not in result.output
    result = add(app, JOKE, "123456789")
    assert result.exit_code != 0 and "not a valid BSN" in result.output


@pytest.mark.parametrize(
    ("extra", "reference", "decided", "message"),
    [
        ((), "x" * 51, "2026-01-15", "longer than 50"),
        ((), "  ", "2026-01-15", "empty"),
        (("--until", "2026-01-14"), "C/1", "2026-01-15", "before the decision date"),
        ((), "C/1", "2099-01-01", "in the future"),
    ],
)
def test_bad_decisions_are_refused(app: Flask, demo, db: Session, extra, reference, decided, message) -> None:  # type: ignore[no-untyped-def]
    result = add(app, JOKE, SANNE, *extra, reference=reference, decided=decided)
    assert result.exit_code != 0 and message in result.output
    assert legal_of(db, "joke", "sanne") == []


def test_the_same_registration_twice_and_yourself_are_refused(app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    assert add(app, JOKE, SANNE).exit_code == 0
    again = add(app, JOKE, SANNE)
    assert again.exit_code != 0 and "already registered" in again.output
    yourself = add(app, JOKE, JOKE)
    assert yourself.exit_code != 0 and "same person" in yourself.output


def test_end_and_list_representatives(app: Flask, demo, db: Session, now) -> None:  # type: ignore[no-untyped-def]
    listed = cli(app, "mandates", "list-representatives")
    assert listed.exit_code == 0
    [henk_mandate] = legal_of(db, "henk", "kees")
    assert str(henk_mandate.id) in listed.output
    for person in ("henk", "fatima", "wim", "kees"):
        assert by_username(person).bsn not in listed.output
    assert "Henk" not in listed.output and "Bakker" not in listed.output
    before = len(letters_of(db, "henk"))
    ended = cli(app, "mandates", "end-representative", "--mandate-id", str(henk_mandate.id))
    assert ended.exit_code == 0, ended.output
    [henk_mandate] = legal_of(db, "henk", "kees")
    assert henk_mandate.end_reason is EndReason.ENDED_BY_ADMIN
    assert state_of(henk_mandate, now + timedelta(seconds=1)) is MandateState.ENDED
    assert letters_of(db, "henk")[0].subject == "Een machtiging is gestopt" and len(letters_of(db, "henk")) == before + 1
    twice = cli(app, "mandates", "end-representative", "--mandate-id", str(henk_mandate.id))
    assert twice.exit_code != 0 and "already ended" in twice.output


def test_the_demo_bewindvoerder_acts_for_three_clients(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "kees")
    page = client.page("/handelen-voor")
    text = page.get_text(" ", strip=True)
    for name in ("Henk Mulder", "Fatima Ouali", "Wim van Dijk"):
        assert f"Voor {name}" in text
    assert text.count("U bent bewindvoerder.") == 3
    [mandate] = legal_of(db, "wim", "kees")
    response = client.post("/handelen-voor", data={"voor": str(mandate.id), "csrf_token": client.csrf_token("/handelen-voor")})
    assert response.status_code == 302
    inbox = client.page(response.location)
    assert "U doet dit voor Wim van Dijk" in inbox.get_text(" ", strip=True)
