"""Acting for someone: choosing, the banner on every page, stopping, and the lost page."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import mandates
from portal.models import EndReason, LoginSession, Mandate
from portal.policy import Scope
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate


@pytest.fixture
def sanne_helps_joke(client: CheckedClient, db: Session, demo, now: datetime) -> Mandate:  # type: ignore[no-untyped-def]
    helper = log_in(client, db, "sanne")
    return make_mandate(
        db, account_of(db, "joke"), helper, now=now, scopes=[Scope.READ_LETTERS, Scope.VIEW_CASES]
    )


def acting_mandate_id(db: Session) -> object:
    db.expire_all()
    return db.scalars(select(LoginSession.acting_mandate_id)).one()


def test_the_chooser_offers_yourself_and_everyone_you_may_act_for(
    client: CheckedClient, sanne_helps_joke: Mandate
) -> None:
    soup = client.page("/handelen-voor")
    labels = [normalise(label.get_text()) for label in soup.select("fieldset label")]
    assert labels == ["Voor mijzelf", "Voor Joke de Vries"]
    hint = normalise(soup.select_one(".choice__hint").get_text())
    assert hint == "U mag: berichten lezen, lopende zaken bekijken."


def test_choosing_someone_shows_their_box_with_a_banner_on_every_page(
    client: CheckedClient, db: Session, sanne_helps_joke: Mandate
) -> None:
    token = client.csrf_token("/handelen-voor")
    response = client.post("/handelen-voor", data={"csrf_token": token, "voor": str(sanne_helps_joke.id)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/berichten/"
    assert acting_mandate_id(db) == sanne_helps_joke.id
    for url in ("/berichten/", "/zaken/"):
        soup = client.page(url)
        banner = soup.select_one("[role=region].acting-banner")
        assert banner is not None, url
        text = normalise(banner.get_text())
        assert "U doet dit voor Joke de Vries" in text
        assert "U mag: berichten lezen, lopende zaken bekijken." in text
        last_day = mandates.last_day(sanne_helps_joke)
        assert last_day is not None and str(last_day.year) in text
        assert banner.find("button", string=lambda s: s and "Stop met handelen voor Joke de Vries" in s)
        switch = banner.find("a", string="Iets doen voor iemand anders")
        assert switch is not None and switch["href"] == "/handelen-voor"
    # The menu leaves out what the mandate does not give.
    menu = [normalise(a.get_text()) for a in client.page("/berichten/").select(".site-nav a")]
    assert menu == ["Berichtenbox", "Lopende zaken"]


def test_the_first_page_after_choosing_announces_it_once(
    client: CheckedClient, sanne_helps_joke: Mandate
) -> None:
    token = client.csrf_token("/handelen-voor")
    client.post("/handelen-voor", data={"csrf_token": token, "voor": str(sanne_helps_joke.id)})
    first = client.page("/berichten/")
    assert "U doet nu dingen voor Joke de Vries." in normalise(first.select_one("[role=status]").get_text())
    again = client.page("/berichten/")
    assert not any("U doet nu dingen voor" in s.get_text() for s in again.select("[role=status]"))


def test_stopping_goes_back_to_your_own_box(
    client: CheckedClient, db: Session, sanne_helps_joke: Mandate
) -> None:
    act_under(client, db, sanne_helps_joke)
    soup = client.page("/berichten/")
    form = soup.select_one(".acting-banner form")
    response = client.post(form["action"], data={"csrf_token": form.select_one("[name=csrf_token]")["value"]})
    assert response.status_code == 302
    assert acting_mandate_id(db) is None
    assert client.page("/berichten/").select_one(".acting-banner") is None


def test_choosing_nobody_or_a_mandate_that_is_not_yours_is_refused(
    client: CheckedClient, db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "sanne")
    foreign = make_mandate(db, account_of(db, "joke"), account_of(db, "ahmed"), now=now)
    token = client.csrf_token("/handelen-voor")
    for choice in ("", "geen-uuid", str(foreign.id)):
        response = client.post("/handelen-voor", data={"csrf_token": token, "voor": choice})
        assert response.status_code == 400, choice
        assert "Kies voor wie u iets wilt doen." in response.get_data(as_text=True)
    assert acting_mandate_id(db) is None


def test_a_mandate_that_ended_since_the_last_click_shows_the_lost_page_until_you_go_on(
    client: CheckedClient, db: Session, sanne_helps_joke: Mandate, now: datetime
) -> None:
    act_under(client, db, sanne_helps_joke)
    client.page("/berichten/")
    mandates.end(db, sanne_helps_joke, by_id=sanne_helps_joke.giver_id, reason=EndReason.REVOKED, now=now)
    db.commit()
    for url in ("/berichten/", "/zaken/", "/instellingen"):
        soup = client.page(url, status=403)
        assert normalise(soup.h1.get_text()) == "U kunt dit niet meer doen voor een ander"
        assert "De machtiging voor Joke de Vries is gestopt." in normalise(soup.get_text())
        assert soup.select_one(".acting-banner") is None
    htmx = client.get("/berichten/", headers={"HX-Request": "true"})
    assert htmx.status_code == 403 and htmx.headers["HX-Refresh"] == "true"
    form = client.page("/berichten/", status=403).select_one("main form")
    fields = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    answer = client.post(form["action"], data=fields)
    assert answer.status_code == 302
    assert acting_mandate_id(db) is None
    own = client.page("/berichten/")
    assert own.select_one(".acting-banner") is None


def test_a_page_the_mandate_does_not_open_says_so_and_shows_no_data(
    client: CheckedClient, db: Session, sanne_helps_joke: Mandate
) -> None:
    act_under(client, db, sanne_helps_joke)
    soup = client.page("/instellingen", status=403)
    assert normalise(soup.h1.get_text()) == "Dit mag u niet doen voor Joke de Vries"
    assert "U mag voor Joke de Vries: berichten lezen, lopende zaken bekijken." in normalise(soup.get_text())
    soup = client.page("/handelen-voor")  # choosing again is always possible
    assert soup.h1 is not None


def test_a_mandate_that_starts_tomorrow_gives_nothing_today(
    client: CheckedClient, db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    helper = log_in(client, db, "sanne")
    future = make_mandate(db, account_of(db, "joke"), helper, now=now, starts_at=now + timedelta(days=1))
    assert "Joke" not in normalise(client.page("/handelen-voor").get_text())
    act_under(client, db, future)
    client.page("/berichten/", status=403)


def test_a_case_shows_a_helper_only_the_linked_letters_the_mandate_opens(
    client: CheckedClient, db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    from portal.models import Case, CaseLetter, Letter

    joke = account_of(db, "joke")
    case = db.scalars(select(Case).where(Case.account_id == joke.id)).first()
    letter = db.scalars(select(Letter).where(Letter.account_id == joke.id)).first()
    assert case is not None and letter is not None
    if not db.scalar(select(CaseLetter).where(CaseLetter.case_id == case.id, CaseLetter.letter_id == letter.id)):
        db.add(CaseLetter(case_id=case.id, letter_id=letter.id))
        db.commit()
    helper = log_in(client, db, "sanne")
    cases_only = make_mandate(db, joke, helper, now=now, scopes=[Scope.VIEW_CASES])
    act_under(client, db, cases_only)
    assert letter.subject not in client.page(f"/zaken/{case.id}").get_text()
    both = make_mandate(db, joke, helper, now=now, scopes=[Scope.VIEW_CASES, Scope.READ_LETTERS])
    act_under(client, db, both)
    assert letter.subject in client.page(f"/zaken/{case.id}").get_text()


def test_after_login_someone_who_may_act_for_others_first_chooses(
    client: CheckedClient, app, db: Session, demo  # type: ignore[no-untyped-def]
) -> None:
    from tests.pages.test_start_and_auth import practice_login

    client.get("/instellingen")  # a page asked for before login is not where a helper lands
    assert practice_login(client, app, "kees") == "/handelen-voor"
    soup = client.page("/handelen-voor")
    assert normalise(soup.h1.get_text()) == "Voor wie wilt u iets doen?"
    # Someone without mandates goes straight on, as before.
    client.post("/uitloggen", data={"csrf_token": client.csrf_token("/handelen-voor")})
    assert practice_login(client, app, "joke") == "/berichten/"
