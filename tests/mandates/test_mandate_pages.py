"""The mandate pages: the citizen's side (give, answer, stop) and the helper's side (accept,
ask, type the code, give back), each without JavaScript."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import policy
from portal.domain import mandates
from portal.domain.portal_letters import PORTAL_SENDER_NAME
from portal.models import Account, EndReason, Letter, Mandate, MandateKind, Organisation
from portal.models.organisation import PORTAL_OIN
from portal.policy import Scope
from tests.support.html import CheckedClient, normalise, parse
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

JOKE_BSN = "999900006"
SANNE_BSN = "999900018"
GENERIC_MISS = "We vinden niemand met dit burgerservicenummer en deze achternaam."


def text_of(soup: BeautifulSoup) -> str:
    return normalise(soup.get_text(" "))


def today() -> date:
    return mandates.today_in_nl(datetime.now().astimezone())


def grant_data(token: str, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "csrf_token": token,
        "bsn": SANNE_BSN,
        "achternaam": "de Vries",
        "taak": ["read_letters", "view_cases"],
        "berichten": "alle",
        "begindatum": today().isoformat(),
        "einddatum": (today() + timedelta(days=200)).isoformat(),
    }
    data.update(changes)
    return data


def portal_letters_of(db: Session, account: Account) -> list[Letter]:
    db.expire_all()
    return list(
        db.scalars(
            select(Letter).join(Organisation).where(Letter.account_id == account.id, Organisation.oin == PORTAL_OIN)
            .order_by(Letter.placed_at)
        )
    )


def mandates_between(db: Session, giver: Account, helper: Account) -> list[Mandate]:
    db.expire_all()
    return list(db.scalars(select(Mandate).where(Mandate.giver_id == giver.id, Mandate.helper_id == helper.id)).unique())


def post(client: CheckedClient, url: str, data: dict[str, object] | None = None, token_page: str = "/machtigingen/"):
    """POST a form the way the browser does: with the token from a page."""
    return client.post(url, data={"csrf_token": client.csrf_token(token_page), **(data or {})})


# -- the overview --------------------------------------------------------------------------------


def test_the_overview_shows_both_sides_and_the_ways_in(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke = log_in(client, db, "joke")
    sanne, tom, emma = account_of(db, "sanne"), account_of(db, "tom"), account_of(db, "emma")
    make_mandate(db, joke, sanne, now=now, scopes=[Scope.READ_LETTERS])
    make_mandate(db, tom, joke, now=now, accepted=False)  # Tom offers Joke a mandate
    make_mandate(db, joke, emma, now=now, accepted=False, kind=MandateKind.REQUESTED)
    soup = client.page("/machtigingen/")
    text = text_of(soup)
    for heading in ("Wie mag mij helpen", "Vragen om een machtiging", "Voor wie mag ik iets doen"):
        assert soup.find("h2", string=heading) is not None, heading
    assert "Sanne de Vries" in text and "berichten lezen" in text
    links = {a.get_text(strip=True): a["href"] for a in soup.find_all("a")}
    assert links["Iemand machtigen"] == "/machtigingen/geven"
    assert links["Vraag om een machtiging"] == "/machtigingen/vragen"
    assert links["Code invullen"] == "/machtigingen/activeren"
    assert links["Wat anderen voor mij deden"] == "/machtigingen/logboek"
    assert links["Wat ik voor anderen deed"] == "/machtigingen/mijn-acties"
    buttons = [normalise(b.get_text(" ")) for b in soup.find_all("button")]
    assert "Goedkeuren : Emma de Boer" in buttons and "Afwijzen : Emma de Boer" in buttons
    assert "Accepteren : Tom Visser" in buttons and "Weigeren : Tom Visser" in buttons
    assert soup.find("summary", string="Wat is een machtiging?") is not None
    assert soup.find("summary", string="Wat ziet de helper wel en niet?") is not None
    assert "niet voor helpers" in text and "nooit zelf machtigingen geven" in text


def test_stopped_mandates_are_listed_for_15_months_only(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke = log_in(client, db, "joke")
    sanne, tom = account_of(db, "sanne"), account_of(db, "tom")
    recent = make_mandate(db, joke, sanne, now=now)
    mandates.end_by_giver(db, recent, by_id=joke.id, now=now - timedelta(days=30))
    old = make_mandate(db, joke, tom, now=now - timedelta(days=800), starts_at=now - timedelta(days=900),
                       ends_at=now - timedelta(days=500))
    db.commit()
    soup = client.page("/machtigingen/")
    section = soup.find("h2", string="Gestopt en verlopen").find_parent("section")
    assert "Sanne de Vries" in text_of(section) and "Gestopt" in text_of(section)
    assert "Tom Visser" not in text_of(soup)
    client.page(f"/machtigingen/{old.id}", status=404)


# -- (a) the citizen grants, the helper accepts ---------------------------------------------------


def test_grant_then_accept(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke = log_in(client, db, "joke")
    sanne = account_of(db, "sanne")
    soup = client.page("/machtigingen/geven")
    assert soup.find("input", attrs={"name": "taak", "value": "manage_mandates"}) is None
    assert {box["value"] for box in soup.select("input[name=taak]")} == {s.value for s in policy.HELPER_SCOPES}
    organisation_names = {label.get_text(strip=True) for label in soup.select("label[for^=organisatie-]")}
    assert PORTAL_SENDER_NAME not in organisation_names and organisation_names
    assert soup.find("input", attrs={"name": "begindatum"})["value"] == today().isoformat()

    response = client.post("/machtigingen/geven", data=grant_data(client.csrf_token("/machtigingen/geven")))
    assert response.status_code == 302
    [mandate] = mandates_between(db, joke, sanne)
    assert response.location == f"/machtigingen/{mandate.id}"
    assert mandate.kind is MandateKind.GRANTED and mandate.accepted_at is None
    assert mandate.created_by_id == joke.id
    assert mandates.first_day(mandate) == today() and mandates.last_day(mandate) == today() + timedelta(days=200)
    page = text_of(client.page(response.location))
    assert "Wacht op antwoord" in page and "Aanbod intrekken" in page
    # Sanne hears of the offer in her own box.
    assert [letter.subject for letter in portal_letters_of(db, sanne)] == ["U krijgt een machtiging aangeboden"]

    log_in(client, db, "sanne")
    soup = client.page("/machtigingen/")
    assert "Aangeboden aan mij" in text_of(soup)
    assert policy.grant_under(mandate, sanne.id, datetime.now().astimezone()) is None
    response = post(client, f"/machtigingen/gekregen/{mandate.id}/accepteren")
    assert response.status_code == 302 and response.location == f"/machtigingen/gekregen/{mandate.id}"
    db.expire_all()
    grant = policy.grant_under(db.get(Mandate, mandate.id), sanne.id, datetime.now().astimezone())
    assert grant is not None and grant.scopes == {Scope.READ_LETTERS, Scope.VIEW_CASES}
    assert "U heeft de machtiging van Joke de Vries geaccepteerd." in text_of(client.page(response.location))
    [letter] = portal_letters_of(db, joke)
    assert letter.subject == "Iemand mag dingen voor u doen" and "Sanne de Vries" in letter.body
    assert letter.organisation.name == PORTAL_SENDER_NAME


@pytest.mark.parametrize(
    ("bsn", "surname"),
    [(SANNE_BSN, "Jansen"), ("999900109", "Hendriks"), ("999900080", "Smit")],
    ids=["wrong surname", "unknown BSN", "no account"],
)
def test_grant_says_the_same_for_every_miss_and_keeps_the_input(client: CheckedClient, db: Session, demo, bsn: str, surname: str) -> None:  # type: ignore[no-untyped-def]
    joke = log_in(client, db, "joke")
    organisation = db.scalars(select(Organisation).where(Organisation.oin != PORTAL_OIN)).first()
    data = grant_data(client.csrf_token("/machtigingen/geven"), bsn=bsn, achternaam=surname,
                      berichten="deze", organisatie=[str(organisation.id)])
    response = client.post("/machtigingen/geven", data=data)
    assert response.status_code == 400
    soup = parse(response.get_data(as_text=True))
    assert soup.title.get_text().startswith("Fout:")
    summary = soup.find(class_="error-summary")
    assert [normalise(a.get_text()) for a in summary.find_all("a")] == [
        GENERIC_MISS + " Kijk of u het nummer en de naam goed heeft getypt."
    ]
    assert soup.find("input", attrs={"name": "bsn"})["value"] == bsn
    assert soup.find("input", attrs={"name": "achternaam"})["value"] == surname
    checked = {box["value"] for box in soup.select("input[name=taak][checked]")}
    assert checked == {"read_letters", "view_cases"}
    assert soup.find("input", attrs={"name": "berichten", "value": "deze"}).has_attr("checked")
    assert soup.find("input", attrs={"name": "organisatie", "value": str(organisation.id)}).has_attr("checked")
    assert soup.find("input", attrs={"name": "einddatum"})["value"] == data["einddatum"]
    assert db.scalars(select(Mandate).where(Mandate.giver_id == joke.id)).first() is None


@pytest.mark.parametrize(
    ("bsn", "surname", "field", "message"),
    [
        ("", "Vries", "bsn", "Vul het burgerservicenummer in."),
        ("12345", "Vries", "bsn", "Een burgerservicenummer heeft 9 cijfers."),
        ("123456789", "Vries", "bsn", "Dit burgerservicenummer bestaat niet."),
        (SANNE_BSN, "  ", "achternaam", "Vul de achternaam in."),
    ],
)
def test_grant_says_what_is_wrong_with_the_typing(client: CheckedClient, db: Session, demo, bsn: str, surname: str, field: str, message: str) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    response = client.post("/machtigingen/geven", data=grant_data(
        client.csrf_token("/machtigingen/geven"), bsn=bsn, achternaam=surname))
    assert response.status_code == 400
    soup = parse(response.get_data(as_text=True))
    link = soup.find(class_="error-summary").find("a")
    assert link["href"] == f"#{field}" and normalise(link.get_text()).startswith(message)


def test_grant_refuses_yourself_too_long_and_no_scope(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    token = client.csrf_token("/machtigingen/geven")
    start = today()
    too_late = mandates.add_years(start, mandates.MAX_YEARS) + timedelta(days=1)
    response = client.post("/machtigingen/geven", data=grant_data(
        token, bsn=JOKE_BSN, achternaam="Vries", taak=["manage_mandates"], einddatum=too_late.isoformat()))
    assert response.status_code == 400
    text = text_of(parse(response.get_data(as_text=True)))
    assert "geen machtiging aan uzelf" in text
    assert "Kies minstens één ding dat de helper mag doen." in text
    assert "hooguit 5 jaar" in text
    response = client.post("/machtigingen/geven", data=grant_data(
        token, begindatum=(start - timedelta(days=1)).isoformat(), einddatum="31-02-2027"))
    assert response.status_code == 400
    text = text_of(parse(response.get_data(as_text=True)))
    assert "De begindatum mag niet voor vandaag liggen." in text and "Vul de einddatum in zoals" in text


def test_a_lapsed_offer_cannot_be_accepted(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    sanne = log_in(client, db, "sanne")
    mandate = make_mandate(db, joke, sanne, now=now, accepted=False)
    mandate.created_at = now - timedelta(days=mandates.PENDING_DAYS, seconds=1)
    db.commit()
    assert "Verlopen zonder antwoord" in text_of(client.page(f"/machtigingen/gekregen/{mandate.id}"))
    response = post(client, f"/machtigingen/gekregen/{mandate.id}/accepteren")
    assert response.status_code == 400
    assert "Deze vraag is verlopen." in text_of(parse(response.get_data(as_text=True)))
    db.expire_all()
    assert db.get(Mandate, mandate.id).accepted_at is None


def test_the_helper_refuses_an_offer(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    sanne = log_in(client, db, "sanne")
    mandate = make_mandate(db, joke, sanne, now=now, accepted=False)
    response = post(client, f"/machtigingen/gekregen/{mandate.id}/weigeren")
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Mandate, mandate.id).end_reason is EndReason.DECLINED
    assert portal_letters_of(db, joke) == []  # it never gave anything: no letter


# -- (b) the helper asks; the citizen approves, or the helper types the code ------------------------


def ask(client: CheckedClient, **changes: object):  # type: ignore[no-untyped-def]
    data = grant_data(client.csrf_token("/machtigingen/vragen"), bsn=JOKE_BSN, achternaam="Vries")
    data.update(changes)
    return client.post("/machtigingen/vragen", data=data)


def code_from(letter: Letter) -> str:
    match = re.search(r"Uw code: ([A-Z0-9]{8})", letter.body)
    assert match, letter.body
    return match.group(1)


def test_request_sends_a_printable_code_letter_and_joke_approves(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), log_in(client, db, "sanne")
    response = ask(client)
    assert response.status_code == 302
    [mandate] = mandates_between(db, joke, sanne)
    # Issue 16: the answer does not say whether the request reached anyone, nor whom.
    assert response.location == "/machtigingen/"
    assert mandate.kind is MandateKind.REQUESTED and mandate.accepted_at is None
    answer = text_of(client.page(response.location))
    assert "krijgt deze persoon een brief met een code" in answer and "Joke" not in answer
    [letter] = portal_letters_of(db, joke)
    assert len(letter.subject) <= 50 and "Sanne de Vries" in letter.subject
    assert letter.not_for_helpers  # a helper of Joke must never read the code
    code = code_from(letter)
    assert mandates.code_hash(code) == mandate.activation_code_hash
    assert "Machtigingen" in letter.body and "Doe dan niets" in letter.body and "berichten lezen" in letter.body

    log_in(client, db, "joke")
    printed = text_of(client.page(f"/berichten/{letter.id}/afdrukken"))
    assert code in printed
    soup = client.page("/machtigingen/")
    requests = soup.find("h2", string="Vragen om een machtiging").find_parent("section")
    assert "Sanne de Vries" in text_of(requests)
    response = post(client, f"/machtigingen/{mandate.id}/goedkeuren")
    assert response.status_code == 302
    db.expire_all()
    approved = db.get(Mandate, mandate.id)
    assert approved.accepted_at is not None and approved.activation_code_hash is None
    assert policy.grant_under(approved, sanne.id, datetime.now().astimezone()) is not None
    assert [letter.subject for letter in portal_letters_of(db, joke)][-1] == "Iemand mag dingen voor u doen"
    # Approving twice is refused clearly.
    response = post(client, f"/machtigingen/{mandate.id}/goedkeuren")
    assert response.status_code == 400


def test_request_errors_are_generic_and_keep_the_input(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "sanne")
    response = ask(client, achternaam="Bakker", taak=[])
    assert response.status_code == 400
    soup = parse(response.get_data(as_text=True))
    # Issue 16: only what is wrong with the form; never whether someone was found.
    assert GENERIC_MISS not in text_of(soup) and "Kies minstens één ding" in text_of(soup)
    assert soup.find("input", attrs={"name": "bsn"})["value"] == JOKE_BSN
    assert soup.find("input", attrs={"name": "achternaam"})["value"] == "Bakker"


def test_joke_declines_a_request(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke = log_in(client, db, "joke")
    mandate = make_mandate(db, joke, account_of(db, "tom"), now=now, accepted=False, kind=MandateKind.REQUESTED)
    response = post(client, f"/machtigingen/{mandate.id}/afwijzen")
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Mandate, mandate.id).end_reason is EndReason.DECLINED


def test_the_helper_activates_with_the_code(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), log_in(client, db, "sanne")
    ask(client)
    code = code_from(portal_letters_of(db, joke)[0])
    client.page("/machtigingen/activeren")
    response = post(client, "/machtigingen/activeren", {"bsn": JOKE_BSN, "code": code.lower()}, "/machtigingen/activeren")
    assert response.status_code == 302
    [mandate] = mandates_between(db, joke, sanne)
    assert mandate.accepted_at is not None and mandate.activation_code_hash is None
    assert response.location == f"/machtigingen/gekregen/{mandate.id}"
    assert policy.grant_under(mandate, sanne.id, datetime.now().astimezone()) is not None
    assert portal_letters_of(db, joke)[-1].subject == "Iemand mag dingen voor u doen"


def test_wrong_codes_are_generic_and_five_void_the_code(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), log_in(client, db, "sanne")
    ask(client)
    code = code_from(portal_letters_of(db, joke)[0])
    wrong = "".join("B" if ch == "A" else "A" for ch in code)
    # A BSN of nobody and a wrong code for Joke read the same.
    nobody = post(client, "/machtigingen/activeren", {"bsn": "999900109", "code": code}, "/machtigingen/activeren")
    first_wrong = post(client, "/machtigingen/activeren", {"bsn": JOKE_BSN, "code": wrong}, "/machtigingen/activeren")
    assert nobody.status_code == first_wrong.status_code == 400
    summary = lambda r: text_of(parse(r.get_data(as_text=True)).find(class_="error-summary"))  # noqa: E731
    assert summary(nobody) == summary(first_wrong)
    kept = parse(first_wrong.get_data(as_text=True))
    assert kept.find("input", attrs={"name": "bsn"})["value"] == JOKE_BSN
    for _ in range(mandates.MAX_CODE_ATTEMPTS - 1):
        response = post(client, "/machtigingen/activeren", {"bsn": JOKE_BSN, "code": wrong}, "/machtigingen/activeren")
    # Issue 16: a used-up code reads like a wrong one (which it was would tell that the
    # request reached someone); the message says that after 5 wrong codes it stops working.
    assert summary(response) == summary(first_wrong) and "Na 5 verkeerde codes" in summary(response)
    response = post(client, "/machtigingen/activeren", {"bsn": JOKE_BSN, "code": code}, "/machtigingen/activeren")
    assert response.status_code == 400 and summary(response) == summary(first_wrong)
    [mandate] = mandates_between(db, joke, sanne)
    assert mandate.accepted_at is None and mandate.activation_attempts == mandates.MAX_CODE_ATTEMPTS


def test_activation_says_what_is_missing(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "sanne")
    response = post(client, "/machtigingen/activeren", {"bsn": "", "code": ""}, "/machtigingen/activeren")
    assert response.status_code == 400
    links = {a["href"] for a in parse(response.get_data(as_text=True)).select(".error-summary a")}
    assert links == {"#bsn", "#code"}


def test_the_helper_withdraws_their_request(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), log_in(client, db, "sanne")
    ask(client)
    [mandate] = mandates_between(db, joke, sanne)
    # Issue 16: from her ask, as she typed it (the request itself is not shown to her).
    [withdraw] = [form["action"] for form in client.page("/machtigingen/").find_all("form")
                  if form["action"].endswith("/intrekken")]
    response = post(client, withdraw)
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Mandate, mandate.id).end_reason is EndReason.WITHDRAWN


# -- ending -------------------------------------------------------------------------------------------


def test_the_citizen_ends_a_mandate_and_gets_a_letter(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = log_in(client, db, "joke"), account_of(db, "sanne")
    mandate = make_mandate(db, joke, sanne, now=now)
    soup = client.page(f"/machtigingen/{mandate.id}")
    assert soup.find("button", string="Machtiging stoppen") is not None
    response = post(client, f"/machtigingen/{mandate.id}/stoppen")
    assert response.status_code == 302 and response.location == "/machtigingen/"
    db.expire_all()
    ended = db.get(Mandate, mandate.id)
    assert ended.end_reason is EndReason.REVOKED and ended.ended_by_id == joke.id
    assert policy.grant_under(ended, sanne.id, datetime.now().astimezone()) is None
    assert [letter.subject for letter in portal_letters_of(db, joke)] == ["Een machtiging is gestopt"]
    # Sanne, who was acting for Joke, is stopped on her very next request.
    log_in(client, db, "sanne")
    act_under(client, db, ended)
    assert client.get("/berichten/").status_code == 403


def test_the_helper_gives_a_mandate_back(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), log_in(client, db, "sanne")
    mandate = make_mandate(db, joke, sanne, now=now)
    soup = client.page(f"/machtigingen/gekregen/{mandate.id}")
    assert soup.find("button", string="Machtiging teruggeven") is not None
    assert "Joke de Vries" in soup.h1.get_text()
    response = post(client, f"/machtigingen/gekregen/{mandate.id}/teruggeven")
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Mandate, mandate.id).end_reason is EndReason.RETURNED
    assert [letter.subject for letter in portal_letters_of(db, joke)] == ["Een machtiging is gestopt"]


def test_the_citizen_cannot_end_a_legal_representation(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, kees = log_in(client, db, "joke"), account_of(db, "kees")
    legal = make_mandate(db, joke, kees, now=now, kind=MandateKind.LEGAL, ends_at=None)
    soup = client.page(f"/machtigingen/{legal.id}")
    text = text_of(soup)
    assert "bewindvoerder" in text and "C/16/123456" in text
    assert soup.find("button", string=re.compile("stoppen", re.I)) is None
    response = post(client, f"/machtigingen/{legal.id}/stoppen")
    assert response.status_code == 403
    assert "wettelijke vertegenwoordiging" in text_of(parse(response.get_data(as_text=True)))
    db.expire_all()
    assert db.get(Mandate, legal.id).ended_at is None
    # Nor can Kees give it back.
    log_in(client, db, "kees")
    assert post(client, f"/machtigingen/gekregen/{legal.id}/teruggeven").status_code == 403
    db.expire_all()
    assert db.get(Mandate, legal.id).ended_at is None


def test_a_representative_manages_the_clients_other_mandates(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    kees = log_in(client, db, "kees")
    legal = make_mandate(db, joke, kees, now=now, kind=MandateKind.LEGAL, ends_at=None)
    other = make_mandate(db, joke, sanne, now=now)
    act_under(client, db, legal)
    soup = client.page("/machtigingen/")
    text = text_of(soup)
    assert "Sanne de Vries" in text and "Voor wie mag ik iets doen" not in text
    assert soup.find("a", string="Code invullen") is None
    response = post(client, f"/machtigingen/{other.id}/stoppen")
    assert response.status_code == 302
    assert post(client, f"/machtigingen/{legal.id}/stoppen").status_code == 403
    db.expire_all()
    assert db.get(Mandate, other.id).end_reason is EndReason.REVOKED
    assert db.get(Mandate, other.id).ended_by_id == kees.id
    assert db.get(Mandate, legal.id).ended_at is None
    # Kees may grant for Joke, but never to himself.
    response = client.post("/machtigingen/geven", data=grant_data(
        client.csrf_token("/machtigingen/geven"), bsn="999900043", achternaam="Bakker"))
    assert response.status_code == 400


# -- nobody else's mandates ---------------------------------------------------------------------------


def test_someone_elses_mandate_is_not_found(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    mandate = make_mandate(db, joke, sanne, now=now)
    offer = make_mandate(db, joke, sanne, now=now, accepted=False)
    request = make_mandate(db, joke, sanne, now=now, accepted=False, kind=MandateKind.REQUESTED)
    log_in(client, db, "tom")
    client.page(f"/machtigingen/{mandate.id}", status=404)
    client.page(f"/machtigingen/gekregen/{mandate.id}", status=404)
    for url in (f"/machtigingen/{mandate.id}/stoppen", f"/machtigingen/{request.id}/goedkeuren",
                f"/machtigingen/{request.id}/afwijzen", f"/machtigingen/gekregen/{offer.id}/accepteren",
                f"/machtigingen/gekregen/{offer.id}/weigeren", f"/machtigingen/gekregen/{mandate.id}/teruggeven"):
        assert post(client, url).status_code == 404, url
    # The helper does not see the giver's side, nor the giver the helper's side.
    log_in(client, db, "sanne")
    client.page(f"/machtigingen/{mandate.id}", status=404)
    log_in(client, db, "joke")
    client.page(f"/machtigingen/gekregen/{mandate.id}", status=404)
    db.expire_all()
    assert all(db.get(Mandate, m.id).ended_at is None for m in (mandate, offer, request))
    assert db.get(Mandate, offer.id).accepted_at is None and db.get(Mandate, request.id).accepted_at is None
