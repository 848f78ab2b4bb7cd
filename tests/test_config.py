"""Production refuses unsafe settings (issue 16, item 7); trusted hosts and proxies are read
from the configuration."""

from __future__ import annotations

import pytest

from portal.config import ConfigError, PortalMode, load_config

# Settings production accepts; each test changes one thing.
SAFE_PRODUCTION = {
    "SECRET_KEY": "s" * 32,
    "OIDC_ISSUER": "https://digid.example",
    "OIDC_CLIENT_SECRET": "c" * 32,
    "DATABASE_URL": "postgresql://portal@db/portal",
    "BASE_URL": "https://portaal.example",
}
OTHER_SETTINGS = (
    "PRACTICE_DIGID", "OIDC_REDIRECT_URI", "SMTP_HOST", "SMTP_USERNAME", "SMTP_PASSWORD",
    "SMTP_STARTTLS", "SMTP_TLS", "TRUSTED_HOSTS", "PROXY_COUNT", "MODE",
)


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in OTHER_SETTINGS:
        monkeypatch.delenv(f"PORTAL_{name}", raising=False)
    for name, value in SAFE_PRODUCTION.items():
        monkeypatch.setenv(f"PORTAL_{name}", value)
    return monkeypatch


def test_safe_production_settings_are_accepted(production: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = load_config(str(tmp_path), "production")
    assert config["OIDC_REDIRECT_URI"] == "https://portaal.example/inloggen/terug"


def test_production_refuses_an_http_oidc_issuer(production: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    production.setenv("PORTAL_OIDC_ISSUER", "http://digid.example")
    with pytest.raises(ConfigError, match="https PORTAL_OIDC_ISSUER"):
        load_config(str(tmp_path), "production")


def test_production_refuses_an_http_redirect_uri(production: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    production.setenv("PORTAL_OIDC_REDIRECT_URI", "http://portaal.example/inloggen/terug")
    with pytest.raises(ConfigError, match="https PORTAL_OIDC_REDIRECT_URI"):
        load_config(str(tmp_path), "production")


def test_production_refuses_an_http_post_logout_address(production: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    production.setenv("PORTAL_OIDC_POST_LOGOUT_REDIRECT_URI", "http://portaal.example/uitgelogd")
    with pytest.raises(ConfigError, match="https PORTAL_OIDC_POST_LOGOUT_REDIRECT_URI"):
        load_config(str(tmp_path), "production")


def test_production_refuses_a_secret_key_under_32_bytes(production: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    production.setenv("PORTAL_SECRET_KEY", "s" * 31)
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY of at least 32 bytes"):
        load_config(str(tmp_path), "production")
    # Bytes, not characters: 16 two-byte characters are enough, 15 are not.
    production.setenv("PORTAL_SECRET_KEY", "é" * 16)
    load_config(str(tmp_path), "production")
    production.setenv("PORTAL_SECRET_KEY", "é" * 15 + "s")
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY"):
        load_config(str(tmp_path), "production")


def test_production_refuses_an_smtp_password_without_tls(production: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    production.setenv("PORTAL_SMTP_HOST", "smtp.example")
    production.setenv("PORTAL_SMTP_USERNAME", "portal")
    production.setenv("PORTAL_SMTP_PASSWORD", "p" * 20)
    load_config(str(tmp_path), "production")  # STARTTLS is on by default
    production.setenv("PORTAL_SMTP_STARTTLS", "0")
    with pytest.raises(ConfigError, match="PORTAL_SMTP_PASSWORD.*PORTAL_SMTP_STARTTLS or PORTAL_SMTP_TLS"):
        load_config(str(tmp_path), "production")
    production.setenv("PORTAL_SMTP_TLS", "1")
    config = load_config(str(tmp_path), "production")
    assert (config["SMTP_TLS"], config["SMTP_PORT"]) == (True, 465)
    # Without a password nothing secret crosses the line: a local relay without TLS is allowed.
    production.delenv("PORTAL_SMTP_TLS")
    production.delenv("PORTAL_SMTP_PASSWORD")
    load_config(str(tmp_path), "production")


def test_development_keeps_its_http_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in (*SAFE_PRODUCTION, *OTHER_SETTINGS):
        monkeypatch.delenv(f"PORTAL_{name}", raising=False)
    monkeypatch.setenv("PORTAL_SMTP_PASSWORD", "p")
    monkeypatch.setenv("PORTAL_SMTP_STARTTLS", "0")
    config = load_config(str(tmp_path), "development")
    assert config["OIDC_ISSUER"] == "http://127.0.0.1:5000/oefen-digid"
    assert config["TRUSTED_HOSTS"] is None  # every host, as before
    assert config["PROXY_COUNT"] == 0


def test_production_trusts_only_the_base_url_host_by_default(production: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    production.setenv("PORTAL_BASE_URL", "https://portaal.example:8443/")
    assert load_config(str(tmp_path), "production")["TRUSTED_HOSTS"] == ["portaal.example"]


def test_trusted_hosts_come_from_the_configured_list(production: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    production.setenv("PORTAL_TRUSTED_HOSTS", " portaal.example, www.portaal.example ,")
    assert load_config(str(tmp_path), "production")["TRUSTED_HOSTS"] == [
        "portaal.example", "www.portaal.example"]
    assert load_config(str(tmp_path), "development")["TRUSTED_HOSTS"] == [
        "portaal.example", "www.portaal.example"]


@pytest.mark.parametrize("value", ["-1", "two"])
def test_a_bad_proxy_count_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path, value: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PORTAL_PROXY_COUNT", value)
    with pytest.raises(ConfigError, match="PORTAL_PROXY_COUNT"):
        load_config(str(tmp_path), "development")


def test_proxy_count_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PORTAL_PROXY_COUNT", "2")
    assert load_config(str(tmp_path), "development")["PROXY_COUNT"] == 2


# -- Practice mode (issue 10, item 1): the practice DigiD is the only login, no real e-mail --

PRACTICE_SETTINGS = ("MODE", "PRACTICE_DIGID", "OIDC_ISSUER", "EIDAS_LOGIN_URL", "SMTP_HOST", "BASE_URL")


@pytest.fixture
def practice(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in PRACTICE_SETTINGS:
        monkeypatch.delenv(f"PORTAL_{name}", raising=False)
    monkeypatch.setenv("PORTAL_MODE", "practice")
    return monkeypatch


def test_the_mode_is_normal_unless_practice_is_asked_for(practice: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert load_config(str(tmp_path), "development")["MODE"] is PortalMode.PRACTICE
    practice.setenv("PORTAL_MODE", " Practice ")
    assert load_config(str(tmp_path), "development")["MODE"] is PortalMode.PRACTICE
    practice.setenv("PORTAL_MODE", "normal")
    assert load_config(str(tmp_path), "development")["MODE"] is PortalMode.NORMAL
    practice.delenv("PORTAL_MODE")
    assert load_config(str(tmp_path), "development")["MODE"] is PortalMode.NORMAL


def test_practice_mode_with_its_own_digid_at_an_explicit_issuer_is_accepted(practice: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    practice.setenv("PORTAL_BASE_URL", "http://oefenen.example")
    practice.setenv("PORTAL_OIDC_ISSUER", "http://oefenen.example/oefen-digid/")
    practice.setenv("PORTAL_PRACTICE_DIGID", "1")
    config = load_config(str(tmp_path), "development")
    assert (config["MODE"], config["SMTP_HOST"]) == (PortalMode.PRACTICE, None)


def test_an_unknown_mode_is_refused(practice: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    practice.setenv("PORTAL_MODE", "demo")
    with pytest.raises(ConfigError, match=r"Unknown PORTAL_MODE 'demo': use one of \['normal', 'practice'\]"):
        load_config(str(tmp_path), "development")


def test_production_refuses_practice_mode(production: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    production.setenv("PORTAL_MODE", "practice")
    with pytest.raises(ConfigError, match="Practice mode must not run in production"):
        load_config(str(tmp_path), "production")
    production.setenv("PORTAL_MODE", "normal")
    load_config(str(tmp_path), "production")


def test_practice_mode_refuses_to_be_without_the_practice_digid(practice: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    practice.setenv("PORTAL_PRACTICE_DIGID", "0")
    practice.setenv("PORTAL_OIDC_ISSUER", "http://127.0.0.1:5000/oefen-digid")
    with pytest.raises(ConfigError, match="only at the practice DigiD: unset PORTAL_PRACTICE_DIGID"):
        load_config(str(tmp_path), "development")


def test_practice_mode_refuses_a_real_login(practice: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    practice.setenv("PORTAL_OIDC_ISSUER", "https://digid.example")
    with pytest.raises(ConfigError, match="only at the practice DigiD: unset PORTAL_OIDC_ISSUER"):
        load_config(str(tmp_path), "development")
    practice.delenv("PORTAL_OIDC_ISSUER")
    practice.setenv("PORTAL_EIDAS_LOGIN_URL", "https://eidas.example/login")
    with pytest.raises(ConfigError, match="no real login: unset PORTAL_EIDAS_LOGIN_URL"):
        load_config(str(tmp_path), "development")
    # The same settings are fine for the normal portal.
    practice.setenv("PORTAL_MODE", "normal")
    practice.setenv("PORTAL_OIDC_ISSUER", "https://digid.example")
    load_config(str(tmp_path), "development")


def test_practice_mode_refuses_a_mail_server(practice: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    practice.setenv("PORTAL_SMTP_HOST", "smtp.example")
    with pytest.raises(ConfigError, match="no real e-mail: unset PORTAL_SMTP_HOST"):
        load_config(str(tmp_path), "development")
    practice.setenv("PORTAL_MODE", "normal")
    assert load_config(str(tmp_path), "development")["SMTP_HOST"] == "smtp.example"


def test_practice_mode_never_sends_by_smtp_even_when_the_check_is_bypassed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The outbox worker's own lock, for settings given after the check (as tests do)."""
    from portal.notifications.backends import FileBackend, backend_from_config

    settings = {"MODE": PortalMode.PRACTICE, "MAIL_DIR": str(tmp_path), "SMTP_HOST": None}
    assert isinstance(backend_from_config(settings), FileBackend)
    with pytest.raises(RuntimeError, match="no real e-mail"):
        backend_from_config({**settings, "SMTP_HOST": "smtp.example", "SMTP_PORT": 587, "SMTP_TIMEOUT": 1.0})
