"""Hulp nodig?: the page, public and logged in; the link in the same place on every page; the
postcode search with its errors."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy.orm import Session

from portal.domain.help_points import RESULT_COUNT
from portal.help.routes import HELP_LINE_NUMBER, MAX_KEPT_LENGTH
from portal.policy import Scope
from tests.support.html import CheckedClient, normalise, parse
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

HELP_PATH = "/hulp"
PARTS = ["Bel ons", "Hulp in de bibliotheek", "Iemand anders laten helpen"]


def footer_help_link(soup: BeautifulSoup):  # type: ignore[no-untyped-def]
    """The first link of the footer: "Hulp nodig?" on every page."""
    footer = soup.find("footer")
    assert footer is not None
    link = footer.find("a")
    assert link is not None and normalise(link.get_text()) == "Hulp nodig?", footer
    return link


def machtigen_part(soup: BeautifulSoup):  # type: ignore[no-untyped-def]
    return soup.find("section", attrs={"aria-labelledby": "hulp-machtigen"})


def search(client: CheckedClient, postcode: str | None, status: int):  # type: ignore[no-untyped-def]
    token = client.csrf_token(HELP_PATH)
    data = {"csrf_token": token}
    if postcode is not None:
        data["postcode"] = postcode
    response = client.post(HELP_PATH, data=data)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return response, parse(response.get_data(as_text=True))


def test_the_page_is_public_with_three_parts(client: CheckedClient) -> None:
    soup = client.page(HELP_PATH)
    assert normalise(soup.h1.get_text()) == "Hulp nodig?"
    assert [normalise(h2.get_text()) for h2 in soup.find("main").find_all("h2")] == PARTS
    phone = soup.find("a", href=f"tel:{HELP_LINE_NUMBER}")
    assert phone is not None and normalise(phone.get_text()) == f"Bel {HELP_LINE_NUMBER}"
    assert "maandag tot en met vrijdag, van 8.00 tot 20.00 uur" in soup.get_text()
    form = soup.find("form", class_="help-search")
    assert form["method"] == "post" and form["action"].startswith(HELP_PATH)
    assert normalise(soup.find("label", attrs={"for": "postcode"}).get_text()) == "Uw postcode"
    # Help in place: the disclosure opens without JavaScript.
    details = soup.find("details", id="hulp-informatiepunt")
    assert normalise(details.summary.get_text()) == "Wat is een Informatiepunt Digitale Overheid?"
    # Not logged in: no link that would only send the visitor to the start page.
    assert soup.find("a", href="/machtigingen/") is None
    assert "Log eerst in." in soup.get_text()
    assert footer_help_link(soup).get("aria-current") == "page"


def test_machtigen_says_own_digid_and_that_you_see_everything(client: CheckedClient) -> None:
    part = machtigen_part(client.page(HELP_PATH))
    text = normalise(part.get_text())
    assert "eigen DigiD" in text
    assert "U ziet alles wat die persoon voor u doet." in text


def test_logged_in_the_page_links_to_machtigingen(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    soup = client.page(HELP_PATH)
    link = machtigen_part(soup).find("a", href="/machtigingen/")
    assert link is not None and normalise(link.get_text()) == "Iemand machtigen"
    assert soup.find("nav", attrs={"aria-label": "Hoofdmenu"}) is not None


def test_a_helper_acting_for_someone_gets_no_link_that_would_be_refused(
    client: CheckedClient, db: Session, demo, now  # type: ignore[no-untyped-def]
) -> None:
    sanne = log_in(client, db, "sanne")
    act_under(client, db, make_mandate(db, account_of(db, "joke"), sanne, now=now, scopes=[Scope.READ_LETTERS]))
    part = machtigen_part(client.page(HELP_PATH))
    assert part.find("a") is None
    assert "voor uzelf bent ingelogd" in part.get_text()


@pytest.mark.parametrize("path", ["/", "/uitgelogd", "/bestaat-niet-maar-publiek"])
def test_the_link_is_on_public_pages(client: CheckedClient, path: str) -> None:
    response = client.get(path)
    if response.status_code == 302:  # an unknown page sends a visitor to the start page
        response = client.get(response.location)
    link = footer_help_link(parse(response.get_data(as_text=True)))
    assert link["href"] == HELP_PATH
    assert link.get("aria-current") is None


@pytest.mark.parametrize("path", ["/berichten/", "/zaken/", "/instellingen", "/machtigingen/", "/bestaat-niet"])
def test_the_link_is_on_pages_after_login(client: CheckedClient, db: Session, demo, path: str) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert footer_help_link(parse(response.get_data(as_text=True)))["href"] == HELP_PATH


def test_the_digid_login_stays_first_on_the_start_page(client: CheckedClient) -> None:
    soup = client.page("/")
    focusable = soup.select("a[href], button, input:not([type=hidden]), summary")
    names = [normalise(tag.get_text()) for tag in focusable]
    assert names.index("Inloggen met DigiD") < names.index("Hulp nodig?")


def test_a_postcode_finds_the_three_nearest_help_points(client: CheckedClient) -> None:
    response, soup = search(client, " 3511ab ", 200)
    assert response.request.path == HELP_PATH and not response.request.query_string
    assert normalise(soup.find("h3", id="informatiepunten").get_text()) == "Informatiepunten dicht bij 3511 AB"
    points = soup.select(".help-points > li")
    assert len(points) == RESULT_COUNT
    assert normalise(points[0].h4.get_text()) == "Bibliotheek Utrecht Neude"
    for point in points:
        assert point.find("a", href=lambda href: href and href.startswith("tel:")) is not None
        assert "Open:" in point.get_text()
    assert soup.find("input", id="postcode")["value"] == "3511 AB"
    assert not soup.title.get_text().startswith("Fout:")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0123", "Een postcode begint nooit met een 0. Kijk of de cijfers goed zijn."),
        ("12345", "Vul een postcode in met 4 cijfers en 2 letters. Bijvoorbeeld: 3511 AB."),
        ("1234 SS", "Een postcode eindigt nooit op SA, SD of SS. Kijk of de letters goed zijn."),
        ("1234 AB 1234 AB", "Deze postcode is te lang. Vul 4 cijfers in. De 2 letters mag u weglaten."),
        ("", "Vul uw postcode in. Bijvoorbeeld: 3511 AB."),
    ],
)
def test_an_invalid_postcode_is_explained_and_kept(client: CheckedClient, typed: str, message: str) -> None:
    _, soup = search(client, typed, 400)
    assert normalise(soup.title.get_text()).startswith("Fout: Hulp nodig?")
    summary = soup.find(class_="error-summary")
    assert summary is not None and summary["role"] == "alert"
    link = summary.find("a", href="#postcode")
    assert normalise(link.get_text()) == message
    assert normalise(soup.find(id="postcode-fout").get_text()) == f"Fout: {message}"
    field = soup.find("input", id="postcode")
    assert field["value"] == typed
    assert field["aria-invalid"] == "true"
    assert "postcode-fout" in field["aria-describedby"].split()
    assert soup.select(".help-points") == []


def test_an_empty_form_is_a_missing_postcode(client: CheckedClient) -> None:
    _, soup = search(client, None, 400)
    assert "Vul uw postcode in." in soup.find(class_="error-summary").get_text()


def test_a_very_long_text_is_kept_only_in_part(client: CheckedClient) -> None:
    _, soup = search(client, "1" * 5000, 400)
    assert soup.find("input", id="postcode")["value"] == "1" * MAX_KEPT_LENGTH


def test_the_search_needs_the_csrf_token(client: CheckedClient) -> None:
    client.get(HELP_PATH)
    response = client.post(HELP_PATH, data={"postcode": "3511 AB"})
    assert response.status_code == 400
    soup = parse(response.get_data(as_text=True))
    assert soup.select(".help-points") == []
    assert "Deze pagina was te lang open" in soup.h1.get_text()
