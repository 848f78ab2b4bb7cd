"""Start page, login required by default, the OIDC round trip, logout and the idle timeout."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.demo.people import PRACTICE_PASSWORD
from portal.models import Account, LoginSession
from portal.timeutil import utcnow
from tests.support.html import CheckedClient
from tests.support.login import account_of, log_in
from tests.support.wsgi_transport import route_http_to


def test_start_page_puts_the_digid_login_first(client: CheckedClient) -> None:
    soup = client.page("/")
    assert soup.h1.get_text(strip=True) == "Inloggen"
    focusable = soup.select("a[href], button, input:not([type=hidden]), select, textarea, summary")
    names = [tag.get_text(strip=True) for tag in focusable]
    assert names[:3] == [
        "Naar de inhoud",
        "Inloggen met DigiD",
        "Inloggen met een Europees erkend middel",
    ]
    assert soup.find("a", string="Inloggen met DigiD")["href"] == "/inloggen"


def test_no_faq_anywhere(app: Flask) -> None:
    assert not [rule.rule for rule in app.url_map.iter_rules() if "faq" in rule.rule.lower()]


@pytest.mark.parametrize("path", ["/berichten/", "/berichten/archief", "/instellingen"])
def test_pages_need_login(client: CheckedClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.location == "/"


def test_htmx_request_without_login_is_told_where_to_go(client: CheckedClient) -> None:
    response = client.get("/berichten/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/"


def practice_login(client: CheckedClient, app: Flask, username: str) -> str:
    """The whole OpenID Connect round trip through the practice DigiD; returns where the
    portal sends the person afterwards."""
    with route_http_to(app, "http://localhost"):
        start = client.get("/inloggen")
        assert start.status_code == 302
        authorize = urlsplit(start.location)
        query = parse_qs(authorize.query)
        # NL GOV profile: PKCE S256, long state and nonce, the exact redirect URI.
        assert query["code_challenge_method"] == ["S256"]
        assert len(query["state"][0]) >= 22 and len(query["nonce"][0]) >= 22
        assert query["redirect_uri"] == ["http://localhost/inloggen/terug"]
        assert query["response_type"] == ["code"]
        form_url = authorize.path + "?" + authorize.query
        token = client.csrf_token(form_url)
        answer = client.post(
            form_url,
            data={"username": username, "password": PRACTICE_PASSWORD, "csrf_token": token},
        )
        assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
        assert answer.location.startswith("http://localhost/inloggen/terug?")
        back = client.get(answer.location)
        assert back.status_code == 302
        return back.location


def test_login_creates_the_account_and_opens_the_inbox(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    target = practice_login(client, app, "joke")
    assert target == "/berichten/"
    soup = client.page(target)
    assert soup.h1.get_text(strip=True) == "Berichtenbox"
    assert "Ingelogd als Joke de Vries" in soup.get_text(" ", strip=True)


def test_first_login_creates_an_account_for_someone_eligible(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    from portal.demo.people import by_username
    from portal.models import Person

    emma = by_username("emma")
    person = db.scalar(select(Person).where(Person.bsn == emma.bsn))
    db.execute(update(Account).where(Account.person_id == person.id).values(last_login_at=None))
    db.query(Account).filter(Account.person_id == person.id).delete()
    db.commit()
    assert practice_login(client, app, "emma") == "/berichten/"
    assert db.scalar(select(Account).where(Account.person_id == person.id)) is not None


@pytest.mark.parametrize(
    ("username", "text"),
    [
        ("lotte", "U bent jonger dan 14 jaar."),
        ("klaus", "U woont niet in Nederland"),
        ("noor", "We kunnen uw gegevens niet vinden."),
    ],
)
def test_refused_people_see_a_kind_page(
    client: CheckedClient, app: Flask, demo, username: str, text: str  # type: ignore[no-untyped-def]
) -> None:
    target = practice_login(client, app, username)
    assert target == "/geen-account"
    soup = client.page(target)
    assert text in soup.get_text(" ", strip=True)
    assert client.get("/berichten/").status_code == 302


def test_return_to_the_page_asked_for_before_login(
    client: CheckedClient, app: Flask, demo  # type: ignore[no-untyped-def]
) -> None:
    client.get("/instellingen")
    assert practice_login(client, app, "joke") == "/instellingen"


def test_cancelled_login_goes_back_to_the_start(client: CheckedClient) -> None:
    response = client.get("/inloggen/terug?error=access_denied&state=x")
    assert response.status_code == 302 and response.location == "/"


def test_forged_callback_is_refused_kindly(client: CheckedClient, demo) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/inloggen/terug?code=made-up&state=made-up")
    assert response.status_code == 400
    assert "Inloggen is niet gelukt" in response.get_data(as_text=True)


def test_logout_ends_the_session_everywhere(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "joke")
    cookie = client.get_cookie("portal")
    assert cookie is not None
    stolen = cookie.value
    token = client.csrf_token("/berichten/")
    with route_http_to(app, "http://localhost"):
        response = client.post("/uitloggen", data={"csrf_token": token})
    assert response.status_code == 302
    # Also to the provider's logout, with no ID token (and so no BSN) in the URL.
    assert response.location.startswith("http://localhost/oefen-digid/logout?")
    assert "id_token_hint" not in response.location
    assert client.get("/berichten/").status_code == 302
    # A copy of the old cookie no longer works: the server-side session has ended.
    other = app.test_client()
    other.set_cookie("portal", stolen)
    assert other.get("/berichten/").status_code == 302
    assert db.scalar(select(LoginSession.ended_at)) is not None


def test_idle_for_15_minutes_logs_out(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "joke")
    assert client.get("/berichten/").status_code == 200
    db.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=15, seconds=1)))
    db.commit()
    response = client.get("/berichten/")
    assert response.status_code == 302
    assert response.location == "/uitgelogd?reden=tijd"
    soup = client.page(response.location)
    assert "15 minuten" in soup.get_text()


def test_activity_within_15_minutes_keeps_the_session(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "joke")
    db.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=14, seconds=50)))
    db.commit()
    assert client.get("/berichten/").status_code == 200


def test_logout_needs_a_csrf_token(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    response = client.post("/uitloggen")
    assert response.status_code == 400
    assert client.get("/berichten/").status_code == 200


def test_eidas_option_says_it_is_not_available(client: CheckedClient) -> None:
    soup = client.page("/inloggen/europees")
    assert "nog geen inloggen met een Europees erkend middel" in soup.get_text()


def test_account_is_the_one_for_the_logged_in_bsn(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    practice_login(client, app, "sanne")
    soup = client.page("/berichten/")
    assert "Ingelogd als Sanne de Vries" in soup.get_text(" ", strip=True)
    assert account_of(db, "sanne").last_login_at is not None


def test_logout_still_works_when_the_provider_is_unreachable(
    client: CheckedClient, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "joke")
    token = client.csrf_token("/berichten/")
    response = client.post("/uitloggen", data={"csrf_token": token})
    assert response.status_code == 302 and response.location == "/uitgelogd"
    assert client.get("/berichten/").status_code == 302


def test_no_bsn_in_logs_or_urls_during_login_and_reading(
    client: CheckedClient, app: Flask, demo, db: Session, caplog: pytest.LogCaptureFixture  # type: ignore[no-untyped-def]
) -> None:
    from portal.demo.people import by_username

    bsn = by_username("joke").bsn
    caplog.set_level("DEBUG")
    urls: list[str] = []
    original_open = client.open

    def recording_open(*args, **kwargs):  # type: ignore[no-untyped-def]
        response = original_open(*args, **kwargs)
        urls.append(response.request.url)
        if response.location:
            urls.append(response.location)
        return response

    client.open = recording_open  # type: ignore[method-assign]
    target = practice_login(client, app, "joke")
    inbox = client.page(target)
    letter_url = inbox.select_one(".letter-row__subject a")["href"]
    client.page(letter_url)
    assert urls and all(bsn not in url for url in urls)
    assert caplog.records, "expected log records to inspect"
    assert all(bsn not in record.getMessage() for record in caplog.records)
