"""The Lopende Zaken pages through the checked test client, with the demo data."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Case, CaseStatus
from portal.timeutil import as_utc
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in


def cases_of(db: Session, username: str) -> list[Case]:
    account = account_of(db, username)
    return list(db.scalars(select(Case).where(Case.account_id == account.id)))


def by_title(db: Session, username: str, title: str) -> Case:
    return next(case for case in cases_of(db, username) if case.title == title)


def same_moment(a: datetime | None, b: datetime | None) -> bool:
    # SQLite gives naive UTC back; objects made in this session are aware.
    return (a and as_utc(a)) == (b and as_utc(b))


def rows(soup, heading: str) -> list[str]:  # type: ignore[no-untyped-def]
    section = soup.find("h2", string=heading).find_parent("section")
    return [normalise(row.get_text(" ")) for row in section.select("li")]


@pytest.fixture
def joke(client: CheckedClient, db: Session, demo):  # type: ignore[no-untyped-def]
    return log_in(client, db, "joke")


def test_list_shows_running_and_closed_cases_with_changed_first(
    client: CheckedClient, joke
) -> None:  # type: ignore[no-untyped-def]
    soup = client.page("/zaken/")
    assert normalise(soup.h1.get_text()) == "Lopende zaken"
    lead = normalise(soup.select_one(".lead").get_text())
    assert lead == "U heeft 2 lopende zaken. Bij 1 zaak is iets veranderd."
    running = rows(soup, "Nu bezig")
    assert len(running) == 2
    changed, quiet = running
    assert changed.startswith("Gewijzigd Dienst Toeslagen Aanvraag huurtoeslag")
    assert "Stap 2 van 3: Gegevens controleren" in changed
    assert "Laatste wijziging op" in changed
    assert "Doe iets vóór" in changed
    assert "Gemeente Utrecht Aanvraag traplift" in quiet
    assert "Gewijzigd" not in quiet and "Nieuw" not in quiet and "Doe iets" not in quiet
    assert "Stap 3 van 4: Advies van de ergotherapeut" in quiet
    closed = rows(soup, "Afgerond")
    assert len(closed) == 1
    assert "Aanvraag zorgtoeslag" in closed[0] and "Afgerond op" in closed[0]
    # The page is in the main menu, marked as the current page.
    current = soup.select_one('nav a[aria-current="page"]')
    assert current.get_text(strip=True) == "Lopende zaken"


def test_case_page_shows_steps_status_action_history_and_letters(
    client: CheckedClient, db: Session, joke
) -> None:  # type: ignore[no-untyped-def]
    case = by_title(db, "joke", "Aanvraag huurtoeslag")
    soup = client.page(f"/zaken/{case.id}")
    text = normalise(soup.get_text(" "))
    assert normalise(soup.h1.get_text()) == "Aanvraag huurtoeslag"
    assert "Dienst Toeslagen" in text and case.reference in text
    # The timeline: an ordered list, each state in words, the current step marked.
    steps = soup.find("ol", class_="case-steps")
    items = [normalise(li.get_text(" ")) for li in steps.find_all("li")]
    assert items == [
        "Aanvraag ontvangen : Klaar",
        "Gegevens controleren : Nu bezig",
        "Besluit : Komt nog",
    ]
    current = steps.find_all(attrs={"aria-current": "step"})
    assert [normalise(li.get_text(" ")) for li in current] == ["Gegevens controleren : Nu bezig"]
    what = soup.find("h2", string="Wat moet ik doen?").parent
    assert "Stuur ons een kopie van uw huurcontract." in what.get_text()
    assert "Doe dit vóór" in what.get_text()
    latest = soup.find("h2", string="Hoe staat het ervoor?").find_next_sibling("p")
    assert "Wij missen nog uw huurcontract." in latest.get_text()
    history = [normalise(li.get_text(" ")) for li in soup.select(".case-history li")]
    assert "Wij missen nog uw huurcontract." in history[0]
    assert "Wij hebben uw aanvraag voor huurtoeslag ontvangen." in history[1]
    assert "Dienst Toeslagen is met uw zaak begonnen." in history[-1]
    # Changed since her last visit: only the newest change is pointed out.
    assert history[0].startswith("Nieuw") and not history[1].startswith("Nieuw")


def test_a_quiet_case_says_there_is_nothing_to_do(client: CheckedClient, db: Session, joke) -> None:  # type: ignore[no-untyped-def]
    case = by_title(db, "joke", "Aanvraag traplift")
    soup = client.page(f"/zaken/{case.id}")
    what = soup.find("h2", string="Wat moet ik doen?").parent
    assert "U hoeft nu niets te doen." in what.get_text()
    assert soup.select(".case-history .tag") == []


def test_a_closed_case_keeps_its_history_and_links_its_letter(
    client: CheckedClient, db: Session, joke
) -> None:  # type: ignore[no-untyped-def]
    case = by_title(db, "joke", "Aanvraag zorgtoeslag")
    assert case.status == CaseStatus.CLOSED
    soup = client.page(f"/zaken/{case.id}")
    text = normalise(soup.get_text(" "))
    assert "Afgerond op" in text
    assert "U hoeft niets meer te doen. Deze zaak is afgerond." in text
    assert soup.find(attrs={"aria-current": "step"}) is None
    states = [normalise(s.get_text()) for s in soup.select(".case-step__state")]
    assert states == ["Klaar", "Klaar", "Klaar"]
    history = [normalise(li.get_text(" ")) for li in soup.select(".case-history li")]
    assert len(history) == 5  # outcome, three status changes, the start
    assert "U krijgt zorgtoeslag." in history[0]
    letters = soup.find("h2", string="Brieven over deze zaak").find_next_sibling("ul")
    link = letters.find("a")
    assert link.get_text(strip=True).startswith("Voorschot zorgtoeslag")
    # The link opens the letter in the Berichtenbox.
    href = link["href"]
    assert href.startswith("/berichten/")
    assert client.page(href).h1.get_text(strip=True) == link.get_text(strip=True)


def test_viewing_a_changed_case_marks_it_seen(client: CheckedClient, db: Session, joke) -> None:  # type: ignore[no-untyped-def]
    case = by_title(db, "joke", "Aanvraag huurtoeslag")
    assert "Gewijzigd" in rows(client.page("/zaken/"), "Nu bezig")[0]
    client.page(f"/zaken/{case.id}")
    soup = client.page("/zaken/")
    assert all("Gewijzigd" not in row for row in rows(soup, "Nu bezig"))
    assert normalise(soup.select_one(".lead").get_text()) == "U heeft 2 lopende zaken."
    # The action is still open: it stays in the list until the organisation says otherwise.
    assert any("Doe iets vóór" in row for row in rows(soup, "Nu bezig"))
    db.expire_all()
    assert not db.get(Case, case.id).is_changed
    # On the next visit nothing is pointed out as new any more.
    assert client.page(f"/zaken/{case.id}").select(".case-history .tag") == []


def test_a_case_never_seen_is_marked_new(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "ahmed")
    soup = client.page("/zaken/")
    [row] = rows(soup, "Nu bezig")
    assert row.startswith("Nieuw Gemeente Rotterdam Verhuizing doorgeven")
    assert "Stap 1 van 3: Melding ontvangen" in row
    assert "U heeft nog geen afgeronde zaken." in soup.get_text()
    case = cases_of(db, "ahmed")[0]
    soup = client.page(f"/zaken/{case.id}")
    latest = soup.find("h2", string="Hoe staat het ervoor?").find_next_sibling("p")
    assert normalise(latest.get_text()) == "Gemeente Rotterdam is met uw zaak begonnen."
    assert "Nieuw" not in rows(client.page("/zaken/"), "Nu bezig")[0]


def test_someone_without_cases_gets_a_kind_empty_page(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "kees")
    soup = client.page("/zaken/")
    text = normalise(soup.get_text(" "))
    assert "U heeft geen lopende zaken." in text
    assert "U heeft nog geen afgeronde zaken." in text
    assert soup.find("details", id="hulp-zaken") is not None


def test_another_citizens_case_is_not_found(client: CheckedClient, db: Session, joke) -> None:  # type: ignore[no-untyped-def]
    theirs = cases_of(db, "sanne")[0]
    seen = theirs.seen_at
    for path in (f"/zaken/{theirs.id}", f"/zaken/{uuid.uuid4()}", "/zaken/12"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Deze pagina bestaat niet" in response.get_data(as_text=True)
    assert theirs.title not in client.page("/zaken/").get_text()
    db.expire_all()
    assert same_moment(db.get(Case, theirs.id).seen_at, seen)


def test_login_is_required(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    case = cases_of(db, "joke")[0]
    seen = case.seen_at
    for path in ("/zaken/", f"/zaken/{case.id}"):
        response = client.get(path)
        assert response.status_code == 302 and response.location == "/", path
    db.expire_all()
    assert same_moment(db.get(Case, case.id).seen_at, seen)


def test_pages_are_not_cached(client: CheckedClient, db: Session, joke) -> None:  # type: ignore[no-untyped-def]
    case = by_title(db, "joke", "Aanvraag huurtoeslag")
    for path in ("/zaken/", f"/zaken/{case.id}"):
        assert client.get(path).headers["Cache-Control"] == "no-store"
