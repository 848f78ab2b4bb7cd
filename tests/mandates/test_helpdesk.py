"""Way in (d): an assisted visit at a help desk, agreed by the citizen with their own DigiD."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import acting
from portal.demo.people import PRACTICE_PASSWORD, by_username
from portal.domain import visits as rules
from portal.mandates import visits as visit_flow
from portal.models import EndReason, Letter, LoginSession, Mandate, MandateKind
from portal.policy import Scope, scopes_of
from portal.timeutil import as_utc
from tests.support.html import CheckedClient, parse
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate
from tests.support.wsgi_transport import route_http_to

DESK = "Bibliotheek Utrecht – Informatiepunt Digitale Overheid"


def text_of(soup) -> str:  # type: ignore[no-untyped-def]
    return soup.get_text(" ", strip=True)


def visits_of(db: Session, staff_username: str) -> list[Mandate]:
    db.expire_all()
    return list(db.scalars(select(Mandate).where(
        Mandate.kind == MandateKind.ASSISTED, Mandate.helper_id == account_of(db, staff_username).id,
    )).unique())


def newest_letter(db: Session, username: str) -> Letter | None:
    db.expire_all()
    return db.scalars(select(Letter).where(Letter.account_id == account_of(db, username).id)
                      .order_by(Letter.placed_at.desc())).first()


def consent(client: CheckedClient, scopes: list[str]):  # type: ignore[no-untyped-def]
    token = client.csrf_token("/balie/")
    return client.post("/balie/bezoek", data={"scope": scopes, "csrf_token": token}), token


def visit_round_trip(client: CheckedClient, app: Flask, citizen: str, scopes: list[str] | None = None,
                     before_callback=None) -> str:  # type: ignore[no-untyped-def]
    """Staff agree on the scopes, the citizen agrees and logs in at the practice DigiD;
    returns where the portal sends the browser afterwards."""
    scopes = scopes or ["read_letters", "view_cases"]
    with route_http_to(app, "http://localhost"):
        page, token = consent(client, scopes)
        assert page.status_code == 200
        start = client.post("/balie/bezoek", data={"scope": scopes, "stap": "akkoord", "csrf_token": token})
        assert start.status_code == 302
        authorize = urlsplit(start.location)
        assert parse_qs(authorize.query)["prompt"] == ["login"]
        form_url = authorize.path + "?" + authorize.query
        answer = client.post(form_url, data={
            "username": citizen, "password": PRACTICE_PASSWORD, "csrf_token": client.csrf_token(form_url),
        })
        assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
        if before_callback is not None:
            before_callback()
        back = client.get(answer.location)
        assert back.status_code in (302, 400, 403), back.status_code
        return back.location if back.status_code == 302 else back.get_data(as_text=True)


def logged_in_account_id(client: CheckedClient, db: Session) -> int:
    from portal.login_sessions import SESSION_KEY, token_hash

    with client.session_transaction() as session:
        token = session[SESSION_KEY]
    db.expire_all()
    row = db.scalar(select(LoginSession).where(LoginSession.token_hash == token_hash(token)))
    assert row is not None and row.ended_at is None
    return row.account_id


def test_only_registered_staff_reach_the_help_desk_page(client: CheckedClient, demo, db: Session, now) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    assert client.get("/balie/").status_code == 403
    assert client.post("/balie/bezoek", data={"scope": "read_letters", "csrf_token": client.csrf_token("/berichten/")}).status_code == 403

    staff = log_in(client, db, "marieke")
    page = client.page("/balie/")
    assert page.h1.get_text(strip=True) == "Hulp aan de balie"
    assert DESK in text_of(page)
    checked = {box["value"] for box in page.select("input[name=scope][checked]")}
    assert checked == {"read_letters", "view_cases"}
    assert "manage_mandates" not in {box["value"] for box in page.select("input[name=scope]")}

    # Staff acting for someone else are not at the desk for themselves: refused.
    joke = account_of(db, "joke")
    mandate = make_mandate(db, joke, staff, now=now)
    act_under(client, db, mandate)
    refused = client.get("/balie/")
    assert refused.status_code == 403
    assert "U doet dit voor Joke de Vries" in refused.get_data(as_text=True)


def test_consent_page_tells_the_citizen_what_they_agree_to(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "marieke")
    response, _token = consent(client, ["read_letters", "view_personal_data"])
    assert response.status_code == 200
    soup = parse(response.get_data(as_text=True))
    text = text_of(soup)
    assert soup.h1.get_text(strip=True) == "Geeft u toestemming?"
    assert f"U geeft Marieke Jansen van {DESK} toegang tot:" in text
    assert "berichten lezen" in text and "persoonlijke gegevens bekijken" in text
    assert "lopende zaken bekijken" not in text
    assert "hooguit 60 minuten" in text and "Log in met uw eigen DigiD om dit goed te keuren." in text
    assert soup.find("button", string="Ik ga akkoord en log in met DigiD") is not None
    assert soup.find("button", string="Stoppen") is not None
    assert visits_of(db, "marieke") == []


@pytest.mark.parametrize("scopes", [[], ["manage_mandates"], ["read_letters", "nonsense"]])
def test_no_or_forbidden_scopes_are_refused(client: CheckedClient, demo, db: Session, scopes) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "marieke")
    response, _token = consent(client, scopes)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Kies wat u voor de bezoeker wilt doen." in body and "<title>Fout:" in body


def test_stopping_on_the_consent_page_starts_nothing(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "marieke")
    _response, token = consent(client, ["read_letters"])
    stopped = client.post("/balie/bezoek", data={"stap": "stoppen", "csrf_token": token})
    assert stopped.status_code == 302 and stopped.location == "/balie/"
    assert "Het bezoek is niet gestart." in text_of(client.page("/balie/"))


def test_round_trip_starts_a_visit_for_the_citizen_while_staff_stay_logged_in(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    staff = log_in(client, db, "marieke")
    target = visit_round_trip(client, app, "joke", ["read_letters", "view_cases"])
    assert target == "/berichten/"
    [visit] = visits_of(db, "marieke")
    joke = account_of(db, "joke")
    assert visit.giver_id == joke.id and visit.helper_id == staff.id
    assert visit.desk_name == DESK and visit.accepted_at is not None
    assert as_utc(visit.ends_at) - as_utc(visit.starts_at) == timedelta(minutes=rules.VISIT_MINUTES)
    assert scopes_of(visit) == {Scope.READ_LETTERS, Scope.VIEW_CASES}
    # The staff member is still logged in as themselves, acting for Joke.
    assert logged_in_account_id(client, db) == staff.id
    inbox = text_of(client.page(target))
    assert "Ingelogd als Marieke Jansen" in inbox
    assert "U helpt nu Joke de Vries." in inbox
    assert "U doet dit voor Joke de Vries" in inbox
    subjects = [letter.subject for letter in db.scalars(select(Letter).where(Letter.account_id == joke.id))]
    assert subjects.count("Iemand van de balie helpt u") == 1
    assert not [s for s in subjects if "deed iets voor u" in s]  # no second letter for the same visit
    # Not given: personal data.
    assert client.get("/gegevens").status_code == 403
    # Today's visits are listed once back on the desk page.
    client.post("/handelen-voor/stoppen", data={"csrf_token": client.csrf_token("/handelen-voor")})
    assert "Joke de Vries" in text_of(client.page("/balie/"))


def test_the_visit_ends_after_exactly_60_minutes(
    client: CheckedClient, app: Flask, demo, db: Session, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "marieke")
    visit_round_trip(client, app, "joke")
    [visit] = visits_of(db, "marieke")
    started = as_utc(visit.starts_at)
    monkeypatch.setattr(acting, "utcnow", lambda: started + timedelta(minutes=60) - timedelta(seconds=1))
    assert client.get("/berichten/").status_code == 200
    monkeypatch.setattr(acting, "utcnow", lambda: started + timedelta(minutes=60))
    lost = client.get("/berichten/")
    assert lost.status_code == 403
    assert "De machtiging voor Joke de Vries is verlopen." in text_of(parse(lost.get_data(as_text=True)))


def test_stop_acting_ends_the_visit(client: CheckedClient, app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "marieke")
    visit_round_trip(client, app, "joke")
    response = client.post("/handelen-voor/stoppen", data={"csrf_token": client.csrf_token("/berichten/")})
    assert response.status_code == 302 and response.location == "/balie/"
    assert "Het bezoek van Joke de Vries is gestopt." in text_of(client.page(response.location))
    [visit] = visits_of(db, "marieke")
    assert visit.ended_at is not None and visit.end_reason is EndReason.VISIT_ENDED
    assert newest_letter(db, "joke").subject == "Een machtiging is gestopt"
    # Acting for Joke is over: back at the desk for herself.
    assert client.get("/balie/").status_code == 200


def test_staff_logging_in_as_themselves_starts_nothing(client: CheckedClient, app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    staff = log_in(client, db, "marieke")
    page = visit_round_trip(client, app, "marieke")
    assert "Het bezoek is niet gestart" in page and "met uw eigen DigiD" in page
    assert visits_of(db, "marieke") == []
    assert logged_in_account_id(client, db) == staff.id


def test_a_citizen_without_a_box_gets_a_clear_page(client: CheckedClient, app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    staff = log_in(client, db, "marieke")
    page = visit_round_trip(client, app, "lotte")  # 13: no account (R1)
    assert "Deze bezoeker heeft geen Berichtenbox." in page
    assert visits_of(db, "marieke") == []
    assert logged_in_account_id(client, db) == staff.id
    assert client.get("/balie/").status_code == 200


def test_consent_lapses_after_10_minutes(
    client: CheckedClient, app: Flask, demo, db: Session, monkeypatch: pytest.MonkeyPatch, now  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "marieke")
    clock = [now]
    monkeypatch.setattr(visit_flow, "utcnow", lambda: clock[0])

    def ten_minutes_later() -> None:
        clock[0] = now + timedelta(minutes=rules.CONSENT_MINUTES)

    page = visit_round_trip(client, app, "joke", before_callback=ten_minutes_later)
    assert "Het inloggen duurde te lang" in page
    assert visits_of(db, "marieke") == []


def test_pending_visit_rules(now) -> None:  # type: ignore[no-untyped-def]
    pending = rules.new_pending(7, [Scope.VIEW_CASES, Scope.READ_LETTERS], now)
    assert pending.scopes == (Scope.READ_LETTERS, Scope.VIEW_CASES)
    assert not pending.lapsed(now + timedelta(minutes=10) - timedelta(seconds=1))
    assert pending.lapsed(now + timedelta(minutes=10))
    assert rules.PendingVisit.from_dict(pending.to_dict()) == pending
    assert rules.PendingVisit.from_dict({"staff_id": 1}) is None
    assert rules.PendingVisit.from_dict({**pending.to_dict(), "scopes": ["manage_mandates"]}) is None


def test_staff_cli_adds_and_removes(app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    bsn = by_username("tom").bsn
    added = runner.invoke(args=["helpdesk", "add-staff", "--bsn", bsn, "--desk", "Gemeente Groningen – Balie"])
    assert added.exit_code == 0, added.output
    assert bsn not in added.output
    db.expire_all()
    assert rules.staff_row(db, account_of(db, "tom").id).desk_name == "Gemeente Groningen – Balie"
    listed = runner.invoke(args=["helpdesk", "list-staff"])
    assert "Gemeente Groningen – Balie" in listed.output and bsn not in listed.output
    removed = runner.invoke(args=["helpdesk", "remove-staff", "--bsn", bsn])
    assert removed.exit_code == 0, removed.output
    db.expire_all()
    assert rules.staff_row(db, account_of(db, "tom").id) is None
    again = runner.invoke(args=["helpdesk", "remove-staff", "--bsn", bsn])
    assert again.exit_code != 0 and "not registered" in again.output
    nobody = runner.invoke(args=["helpdesk", "add-staff", "--bsn", by_username("klaus").bsn, "--desk", "X"])
    assert nobody.exit_code != 0 and "has no Burgerportaal account" in nobody.output


def test_removing_staff_ends_their_running_visit(client: CheckedClient, app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "marieke")
    visit_round_trip(client, app, "joke")
    result = app.test_cli_runner().invoke(args=["helpdesk", "remove-staff", "--bsn", by_username("marieke").bsn])
    assert result.exit_code == 0, result.output
    [visit] = visits_of(db, "marieke")
    assert visit.end_reason is EndReason.VISIT_ENDED
    assert client.get("/berichten/").status_code == 403


def test_when_the_staff_login_ended_the_citizen_is_not_logged_in_either(
    client: CheckedClient, app: Flask, demo, db: Session, now  # type: ignore[no-untyped-def]
) -> None:
    staff = log_in(client, db, "marieke")

    def staff_logged_out() -> None:
        for row in db.scalars(select(LoginSession).where(LoginSession.account_id == staff.id)):
            row.ended_at = now
        db.commit()

    page = visit_round_trip(client, app, "joke", before_callback=staff_logged_out)
    assert "niet (meer) ingelogd als medewerker" in page
    assert visits_of(db, "marieke") == []
    assert client.get("/berichten/").status_code == 302  # nobody is logged in on the counter
    assert db.scalar(select(LoginSession).where(
        LoginSession.account_id == account_of(db, "joke").id, LoginSession.ended_at.is_(None))) is None
