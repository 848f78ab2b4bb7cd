"""Guard rails: exact security headers, the route list, and login required by default."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.config import ConfigError, load_config
from portal.endpoints import ENDPOINTS
from tests.support.html import CheckedClient

EXPECTED_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self' http://localhost; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

# Every route of the portal, with its methods. A new route must be added here on purpose.
EXPECTED_ROUTES = {
    ("/", "GET", "start.index"),
    ("/inloggen", "GET", "auth.login"),
    ("/inloggen/terug", "GET", "auth.callback"),
    ("/inloggen/europees", "GET", "auth.eidas"),
    ("/uitloggen", "POST", "auth.logout"),
    ("/sessie/verlengen", "POST", "auth.keep_alive"),
    ("/uitgelogd", "GET", "auth.logged_out"),
    ("/geen-account", "GET", "auth.refused"),
    ("/berichten/", "GET", "messages.inbox"),
    ("/berichten/archief", "GET", "messages.archive"),
    ("/berichten/nieuw", "GET", "messages.new_letters"),
    ("/berichten/<uuid:letter_id>", "GET", "messages.letter"),
    ("/berichten/<uuid:letter_id>/afdrukken", "GET", "messages.print_view"),
    ("/berichten/<uuid:letter_id>/bijlagen/<uuid:attachment_id>", "GET", "messages.attachment"),
    ("/berichten/<uuid:letter_id>/archiveren", "POST", "messages.archive_letter"),
    ("/berichten/<uuid:letter_id>/terugzetten", "POST", "messages.restore_letter"),
    ("/zaken/", "GET", "cases.index"),
    ("/zaken/<uuid:case_id>", "GET", "cases.case"),
    ("/instellingen", "GET", "settings.index"),
    ("/instellingen/organisaties", "POST", "settings.save_subscriptions"),
    ("/instellingen/e-mail", "GET", "settings.email"),
    ("/instellingen/e-mail/adres", "GET", "settings.email_address_form"),
    ("/instellingen/e-mail/adres", "POST", "settings.save_email_address"),
    ("/instellingen/e-mail/voorkeuren", "POST", "settings.save_email_preferences"),
    ("/instellingen/e-mail/verwijderen", "POST", "settings.remove_email_address"),
    ("/instellingen/e-mail/bevestigen/<token>", "GET", "settings.email_confirm_page"),
    ("/instellingen/e-mail/bevestigen/<token>", "POST", "settings.confirm_email_address"),
    ("/taal", "POST", "settings.language"),
    ("/instellingen/tekstgrootte", "POST", "settings.text_size"),
    ("/gegevens", "GET", "profile.index"),
    # Mandates: acting for someone.
    ("/handelen-voor", "GET", "mandates.choose"),
    ("/handelen-voor", "POST", "mandates.act_for"),
    ("/handelen-voor/stoppen", "POST", "mandates.stop_acting"),
    # Mandates: the citizen's side.
    ("/machtigingen/", "GET", "mandates.index"),
    ("/machtigingen/geven", "GET", "mandates.grant_form"),
    ("/machtigingen/geven", "POST", "mandates.grant"),
    ("/machtigingen/<uuid:mandate_id>", "GET", "mandates.detail"),
    ("/machtigingen/<uuid:mandate_id>/stoppen", "POST", "mandates.end"),
    ("/machtigingen/<uuid:mandate_id>/wijzigen", "GET", "mandates.change_form"),
    ("/machtigingen/<uuid:mandate_id>/wijzigen", "POST", "mandates.change"),
    ("/machtigingen/<uuid:mandate_id>/goedkeuren", "POST", "mandates.approve"),
    ("/machtigingen/<uuid:mandate_id>/afwijzen", "POST", "mandates.decline"),
    ("/machtigingen/logboek", "GET", "mandates.log"),
    # Mandates: the helper's side.
    ("/machtigingen/gekregen/<uuid:mandate_id>", "GET", "mandates.held"),
    ("/machtigingen/gekregen/<uuid:mandate_id>/accepteren", "POST", "mandates.accept"),
    ("/machtigingen/gekregen/<uuid:mandate_id>/weigeren", "POST", "mandates.refuse"),
    ("/machtigingen/gekregen/<uuid:mandate_id>/teruggeven", "POST", "mandates.give_back"),
    ("/machtigingen/vragen", "GET", "mandates.request_form"),
    ("/machtigingen/vragen", "POST", "mandates.request"),
    ("/machtigingen/vragen/<uuid:ask_id>/intrekken", "POST", "mandates.withdraw_ask"),
    ("/machtigingen/activeren", "GET", "mandates.activate_form"),
    ("/machtigingen/activeren", "POST", "mandates.activate"),
    ("/machtigingen/mijn-acties", "GET", "mandates.my_actions"),
    # Help desk: assisted sessions.
    ("/balie/", "GET", "helpdesk.index"),
    ("/balie/bezoek", "POST", "helpdesk.start_visit"),
    # Hulp nodig?: public; the postcode is posted, never put in a URL.
    ("/hulp", "GET", "help.index"),
    ("/hulp", "POST", "help.find"),
    ("/hulp/oefenomgeving", "GET", "help.practice"),
    # Practice mode only: a learner's sandbox; nothing personal in a URL.
    ("/oefenen/", "GET", "practice.start"),
    ("/oefenen/beginnen", "POST", "practice.begin"),
    ("/oefenen/opnieuw", "POST", "practice.reset"),
    ("/oefenen/stoppen", "POST", "practice.stop"),
    ("/oefenen/meedoen", "POST", "practice.join"),
    # The trainer's console: the trainer code in a cookie, never in a URL.
    ("/oefenen/trainer", "GET", "practice.trainer_start"),
    ("/oefenen/trainer/les", "POST", "practice.begin_class"),
    ("/oefenen/trainer/les", "GET", "practice.console"),
    ("/oefenen/trainer/les/deelnemers", "GET", "practice.learners"),
    ("/oefenen/trainer/les/sturen", "POST", "practice.push"),
    ("/oefenen/trainer/terug", "POST", "practice.trainer_return"),
    ("/oefenen/trainer/weg", "POST", "practice.trainer_leave"),
    ("/oefenen/kaarten/", "GET", "practice.cards_index"),
    ("/oefenen/kaarten/<lesson_key>", "GET", "practice.cards"),
    ("/oefenen/e-mail", "GET", "practice.mail"),
    ("/oefenen/e-mail/<int:mail_id>", "GET", "practice.mail_message"),
    ("/static/<path:filename>", "GET", "static"),
    # The organisation API: bearer tokens, not the citizen's session.
    ("/api/v1/oauth/token", "POST", "api.token"),
    ("/api/v1/subscriptions/check", "POST", "api.check_subscriptions"),
    ("/api/v1/letters", "POST", "api.send_letter"),
    ("/api/v1/letters/batch", "POST", "api.send_letters"),
    ("/api/v1/letters/<uuid:letter_id>", "GET", "api.letter_receipt"),
    ("/api/v1/cases", "POST", "api.open_case"),
    ("/api/v1/cases/<uuid:case_id>", "GET", "api.case_state"),
    ("/api/v1/cases/<uuid:case_id>/status", "POST", "api.post_status"),
    ("/api/v1/cases/<uuid:case_id>/close", "POST", "api.close_case"),
    ("/api/v1/cases/<uuid:case_id>/letters", "POST", "api.link_letter"),
    ("/api/v1/jwks.json", "GET", "api.signing_keys"),
    ("/api/v1/openapi.json", "GET", "api.openapi"),
    ("/api/v1/docs", "GET", "api.docs"),
}


def test_route_list_is_known(app: Flask) -> None:
    routes = {
        (rule.rule, method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method not in {"HEAD", "OPTIONS"}
    }
    assert routes == EXPECTED_ROUTES


def test_public_endpoints_are_exactly_the_allow_list(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert ENDPOINTS.public <= endpoints
    assert {e for e in endpoints if e.startswith("messages.") or e.startswith("settings.index")}.isdisjoint(ENDPOINTS.public)


def test_security_headers_are_exact(client: CheckedClient) -> None:
    response = client.get("/")
    headers = response.headers
    assert headers["Content-Security-Policy"] == EXPECTED_CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in headers  # plain http in tests


def test_session_cookie_is_httponly_and_samesite(client: CheckedClient) -> None:
    response = client.get("/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_the_practice_digid(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PORTAL_PRACTICE_DIGID", "1")
    with pytest.raises(ConfigError, match="practice DigiD"):
        load_config(str(tmp_path), "production")


def test_production_needs_its_secrets_and_postgresql(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in ("PRACTICE_DIGID", "SECRET_KEY", "OIDC_ISSUER", "OIDC_CLIENT_SECRET", "DATABASE_URL", "BASE_URL"):
        monkeypatch.delenv(f"PORTAL_{name}", raising=False)
    with pytest.raises(ConfigError):
        load_config(str(tmp_path), "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "s" * 32)
    monkeypatch.setenv("PORTAL_OIDC_ISSUER", "https://digid.example")
    monkeypatch.setenv("PORTAL_OIDC_CLIENT_SECRET", "c" * 32)
    monkeypatch.setenv("PORTAL_DATABASE_URL", "postgresql://portal@db/portal")
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portaal.example")
    config = load_config(str(tmp_path), "production")
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert config["PRACTICE_DIGID"] is False


def test_unknown_page_is_a_kind_404(client: CheckedClient) -> None:
    response = client.get("/bestaat-niet")
    # Not logged in: sent to the start page rather than told what exists.
    assert response.status_code == 302


def test_request_too_large_gets_413(client: CheckedClient) -> None:
    token = client.csrf_token("/")
    response = client.post("/taal", data={"csrf_token": token, "taal": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def test_logged_in_unknown_page_is_a_kind_404(client: CheckedClient, db, demo) -> None:  # type: ignore[no-untyped-def]
    from tests.support.login import log_in

    log_in(client, db, "joke")
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<title>Fout: Deze pagina bestaat niet – Burgerportaal</title>" in html
    assert "Traceback" not in html


def test_https_base_url_gives_secure_host_cookies(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portaal.example")
    config = load_config(str(tmp_path), "development")
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"] == "__Host-portal"


def test_every_api_route_but_the_public_documents_needs_a_token(app: Flask, client: CheckedClient) -> None:
    public = {"api.token", "api.signing_keys", "api.openapi", "api.docs"}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint in public:
            continue
        path = rule.rule.replace("<uuid:letter_id>", "00000000-0000-0000-0000-000000000000").replace(
            "<uuid:case_id>", "00000000-0000-0000-0000-000000000000")
        method = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})[0]
        response = client.open(path, method=method, json={})
        assert response.status_code == 401, (rule.rule, response.status_code)


def test_control_characters_in_forms_are_refused(client: CheckedClient) -> None:
    token = client.csrf_token("/")
    assert client.post("/taal", data={"csrf_token": token, "taal": "en\x00"}).status_code == 400
    assert client.get("/?x=%00").status_code == 400
    page = client.get("/oefen-digid/authorize?client_id=burgerportaal%00")
    assert page.status_code == 400
