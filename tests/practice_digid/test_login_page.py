"""The login page: content, accessibility basics that can be checked without a browser."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from portal.demo.people import PEOPLE, PRACTICE_PASSWORD

from .conftest import AuthRequest, soup, submit_login

HEADING = "Inloggen bij Oefen-DigiD"


def test_login_page_structure(client: FlaskClient) -> None:
    response = client.get(AuthRequest.new().url)
    assert response.status_code == 200
    page = soup(response)
    html = page.find("html")
    assert html["lang"] == "nl"
    assert html["dir"] == "ltr"
    h1s = page.find_all("h1")
    assert [h.get_text(strip=True) for h in h1s] == [HEADING]
    assert page.title.get_text(strip=True).startswith(HEADING)
    assert page.find("header") is not None
    assert page.find("main") is not None
    first_focusable = page.find(["a", "button", "input", "select", "textarea"],
                                attrs={"type": lambda t: t != "hidden"})
    assert first_focusable.name == "a"
    assert first_focusable.get_text(strip=True) == "Naar de inhoud"
    assert page.find(id=first_focusable["href"].lstrip("#")).name == "main"
    for field_id, label in (("username", "Gebruikersnaam"), ("password", "Wachtwoord")):
        assert page.find("label", attrs={"for": field_id}).get_text(strip=True) == label
        assert page.find("input", id=field_id) is not None
    assert page.find("input", id="password")["type"] == "password"
    assert page.find("button", attrs={"type": "submit"}).get_text(strip=True) == "Inloggen"
    assert page.find("a", string="Terug naar Burgerportaal") is not None
    assert "oefen" in page.find("p", class_="lead").get_text().lower()


def test_no_inline_scripts_or_styles(client: FlaskClient) -> None:
    responses = [
        client.get(AuthRequest.new().url),
        submit_login(client, AuthRequest.new(), password="fout"),
        client.get(AuthRequest.new(client_id="x").url),
        client.get("http://127.0.0.1:5000/oefen-digid/logout"),
    ]
    for response in responses:
        page = soup(response)
        assert page.find("script") is None
        assert page.find("style") is None
        assert page.find(attrs={"style": True}) is None
        assert not re.search(r"\son[a-z]+=", response.get_data(as_text=True))
        stylesheet = page.find("link", rel="stylesheet")
        assert stylesheet["href"] == "/oefen-digid/static/digid.css"


def test_practice_credentials_table(client: FlaskClient) -> None:
    page = soup(client.get(AuthRequest.new().url))
    table = page.find("table")
    headers = [th.get_text(strip=True) for th in table.find_all("th")]
    assert headers == ["Gebruikersnaam", "Wie is dit?"]
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in table.find("tbody").find_all("tr")]
    assert rows == [[p.username, p.description] for p in PEOPLE]
    assert PRACTICE_PASSWORD in page.find("section").get_text()
    for person in PEOPLE:
        assert person.bsn not in str(page)


def test_wrong_credentials_error_summary(client: FlaskClient) -> None:
    response = submit_login(client, AuthRequest.new(), username="joke", password="fout")
    assert response.status_code == 200
    page = soup(response)
    assert page.title.get_text(strip=True).startswith("Fout: ")
    summary = page.find("div", attrs={"role": "alert"})
    assert summary is not None
    main = page.find("main")
    assert main.find(True) is summary, "error summary is not at the top"
    link = summary.find("a")
    assert link["href"] == "#username"
    assert "niet juist" in link.get_text()
    username = page.find("input", id="username")
    assert username["value"] == "joke"
    assert username["aria-invalid"] == "true"
    message = page.find(id=username["aria-describedby"])
    assert message is not None and "niet juist" in message.get_text()
    password = page.find("input", id="password")
    assert password["value"] == ""
    assert password["aria-invalid"] == "true"
    assert page.find(id=password["aria-describedby"]) is not None


def test_empty_fields_each_get_their_own_message(client: FlaskClient) -> None:
    response = submit_login(client, AuthRequest.new(), username="  ", password="")
    assert response.status_code == 200
    page = soup(response)
    links = [a["href"] for a in page.find("div", attrs={"role": "alert"}).find_all("a")]
    assert links == ["#username", "#password"]
    for field_id, text in (("username", "gebruikersnaam"), ("password", "wachtwoord")):
        field = page.find("input", id=field_id)
        assert field["aria-invalid"] == "true"
        assert text in page.find(id=field["aria-describedby"]).get_text().lower()


def test_no_error_markup_on_a_fresh_form(client: FlaskClient) -> None:
    page = soup(client.get(AuthRequest.new().url))
    assert page.find(attrs={"role": "alert"}) is None
    assert page.find(attrs={"aria-invalid": True}) is None
    assert not page.title.get_text().startswith("Fout")


def test_authorization_error_page_is_plain_dutch(client: FlaskClient) -> None:
    response = client.get(AuthRequest.new(client_id="onbekend").url)
    page = soup(response)
    assert page.find("html")["lang"] == "nl"
    h1 = page.find("h1").get_text(strip=True)
    assert page.title.get_text(strip=True).startswith(h1)
