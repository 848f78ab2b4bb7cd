"""Configuration classes. Values come from ``PORTAL_*`` environment variables.

Nothing is read at import time: ``load_config`` builds the mapping when the app
factory asks for it, so tests can set the environment first.
"""

from __future__ import annotations

import enum
import os
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# Named limits (see docs/limits.md).
IDLE_TIMEOUT_SECONDS = 15 * 60
# However active: a login lasts at most this long (portal/login_sessions.py).
SESSION_MAX_SECONDS = 12 * 60 * 60
INBOX_PAGE_SIZE = 20
# An open Berichtenbox asks this often whether new letters came in (portal/messages/live.py).
INBOX_POLL_SECONDS = 20
MAX_REQUEST_BYTES = 1 * 1024 * 1024  # the citizen pages take small forms only
# Each connection to and each read from the OpenID Connect provider (portal/auth/oidc.py).
OIDC_TIMEOUT_SECONDS = 10
API_REQUESTS_PER_MINUTE = 6000  # per API client, per process (portal/api/ratelimit.py); batches count once
# -- e-mail notifications (R6): the outbox worker --
NOTIFICATION_POLL_SECONDS = 10  # how often the worker looks for e-mails that are due
NOTIFICATION_BATCH_SIZE = 20  # e-mails one worker claims at a time (one SMTP connection)
NOTIFICATION_LEASE_SECONDS = 10 * 60  # a claim older than this is retried by any worker
RETRY_FIRST_DELAY_SECONDS = 60  # doubled after every failed attempt …
RETRY_MAX_DELAY_SECONDS = 60 * 60  # … up to this
MAX_SEND_ATTEMPTS = 24  # about 18 hours of trying; then the row is marked failed (and kept)
REMINDER_QUEUE_INTERVAL_SECONDS = 60 * 60  # the worker looks for 3-week-unread letters hourly
SANDBOX_PURGE_INTERVAL_SECONDS = 5 * 60  # practice mode: the worker purges idle sandboxes this often
SMTP_TIMEOUT_SECONDS = 20
MIN_SECRET_KEY_BYTES = 32  # production refuses a shorter PORTAL_SECRET_KEY (UTF-8 bytes)


# Where the practice DigiD is mounted in front of the portal (portal/practice_digid).
PRACTICE_DIGID_PATH = "/oefen-digid"


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


class PortalMode(enum.StrEnum):
    """What the portal is for (``PORTAL_MODE``). Practice: library lessons, nothing is
    real, every page says so (docs/practice-mode.md)."""

    NORMAL = "normal"
    PRACTICE = "practice"


def is_practice(config: Any) -> bool:
    """True when the portal runs in practice mode (every page shows the practice bar)."""
    return config.get("MODE") == PortalMode.PRACTICE


def _portal_mode() -> PortalMode:
    value = (_env("MODE") or PortalMode.NORMAL.value).strip().lower()
    try:
        return PortalMode(value)
    except ValueError:
        raise ConfigError(
            f"Unknown PORTAL_MODE {value!r}: use one of {[mode.value for mode in PortalMode]}."
        ) from None


def _check_practice_mode(config: dict[str, Any]) -> None:
    """Practice mode: the practice DigiD is the only login and no e-mail leaves the machine."""
    if not config["PRACTICE_DIGID"]:
        raise ConfigError(
            "Practice mode logs in only at the practice DigiD: "
            "unset PORTAL_PRACTICE_DIGID or turn it on."
        )
    if (config["OIDC_ISSUER"] or "").rstrip("/") != config["BASE_URL"] + PRACTICE_DIGID_PATH:
        raise ConfigError(
            "Practice mode logs in only at the practice DigiD: unset PORTAL_OIDC_ISSUER."
        )
    if config["EIDAS_LOGIN_URL"]:
        raise ConfigError(
            "Practice mode has no real login: unset PORTAL_EIDAS_LOGIN_URL."
        )
    if config["SMTP_HOST"]:
        raise ConfigError(
            "Practice mode sends no real e-mail: unset PORTAL_SMTP_HOST "
            "(e-mails are written to PORTAL_MAIL_DIR)."
        )


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"PORTAL_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _is_https(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme == "https" and bool(parts.hostname)


def _trusted_hosts(base_url: str, default_to_base_url: bool) -> list[str] | None:
    """The hosts the portal answers for (Flask's TRUSTED_HOSTS); None: every host."""
    listed = [host.strip() for host in (_env("TRUSTED_HOSTS") or "").split(",") if host.strip()]
    if listed:
        return listed
    host = urlsplit(base_url).hostname
    return [host] if default_to_base_url and host else None


def _proxy_count() -> int:
    """How many proxies in front of the portal set X-Forwarded-*; 0: none is believed."""
    value = (_env("PROXY_COUNT") or "0").strip()
    if not value.isdigit():
        raise ConfigError(f"PORTAL_PROXY_COUNT must be a whole number, 0 or more, not {value!r}.")
    return int(value)


def _mail_settings(instance_path: str, base_url: str) -> dict[str, Any]:
    """E-mail notifications: SMTP when PORTAL_SMTP_HOST is set, else .eml files on disk."""
    host = urlsplit(base_url).hostname or "localhost"
    if "." not in host or host.replace(".", "").isdigit():
        host = "localhost"
    tls = _env_bool("SMTP_TLS", False)  # TLS from the first byte (SMTPS) instead of STARTTLS
    return {
        "SMTP_HOST": _env("SMTP_HOST") or None,
        "SMTP_PORT": int(_env("SMTP_PORT") or (465 if tls else 587)),
        "SMTP_USERNAME": _env("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": _env("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _env_bool("SMTP_STARTTLS", True),
        "SMTP_TLS": tls,
        "SMTP_TIMEOUT": float(_env("SMTP_TIMEOUT") or SMTP_TIMEOUT_SECONDS),
        "SMTP_FROM": _env("SMTP_FROM") or f"Burgerportaal <noreply@{host}>",
        "MAIL_DIR": _env("MAIL_DIR") or os.path.join(instance_path, "mail"),
        "NOTIFICATION_POLL_SECONDS": float(
            _env("NOTIFICATION_POLL_SECONDS") or NOTIFICATION_POLL_SECONDS
        ),
    }


@dataclass(frozen=True)
class BaseConfig:
    name = "base"
    debug = False
    testing = False
    secure_cookies = False
    practice_digid_default = True
    # Without PORTAL_TRUSTED_HOSTS: answer only for the host of the base URL (else every host).
    trust_base_url_host_only = False

    def mapping(self, instance_path: str) -> dict[str, Any]:
        base_url = (_env("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
        practice = _env_bool("PRACTICE_DIGID", self.practice_digid_default)
        issuer = _env("OIDC_ISSUER") or (base_url + PRACTICE_DIGID_PATH if practice else None)
        database_url = _env("DATABASE_URL") or "sqlite:///" + os.path.join(
            instance_path, "portal.sqlite3"
        )
        secret_key = _env("SECRET_KEY")
        # Secure cookies whenever the portal is served over https (always in production).
        secure = self.secure_cookies or base_url.startswith("https://")
        return {
            "ENV_NAME": self.name,
            "MODE": _portal_mode(),
            "DEBUG": self.debug,
            "TESTING": self.testing,
            "SECRET_KEY": secret_key,
            "BASE_URL": base_url,
            "DATABASE_URL": database_url,
            "PRACTICE_DIGID": practice,
            "OIDC_ISSUER": issuer,
            "OIDC_CLIENT_ID": _env("OIDC_CLIENT_ID", "burgerportaal"),
            "OIDC_CLIENT_SECRET": _env("OIDC_CLIENT_SECRET"),
            "OIDC_REDIRECT_URI": _env("OIDC_REDIRECT_URI") or f"{base_url}/inloggen/terug",
            "OIDC_BSN_CLAIM": _env("OIDC_BSN_CLAIM", "bsn"),
            "OIDC_SCOPE": _env("OIDC_SCOPE", "openid"),
            # Where the provider sends the browser after its logout (registered there);
            # unset: <BASE_URL>/uitgelogd (portal/auth/oidc.py).
            "OIDC_POST_LOGOUT_REDIRECT_URI": _env("OIDC_POST_LOGOUT_REDIRECT_URI"),
            "OIDC_TIMEOUT_SECONDS": float(_env("OIDC_TIMEOUT_SECONDS") or OIDC_TIMEOUT_SECONDS),
            "EIDAS_LOGIN_URL": _env("EIDAS_LOGIN_URL"),
            "SESSION_COOKIE_NAME": "__Host-portal" if secure else "portal",
            "SESSION_COOKIE_SECURE": secure,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "MAX_CONTENT_LENGTH": MAX_REQUEST_BYTES,
            "IDLE_TIMEOUT_SECONDS": int(_env("IDLE_TIMEOUT_SECONDS") or IDLE_TIMEOUT_SECONDS),
            "INBOX_POLL_SECONDS": float(_env("INBOX_POLL_SECONDS") or INBOX_POLL_SECONDS),
            "SESSION_MAX_SECONDS": int(_env("SESSION_MAX_SECONDS") or SESSION_MAX_SECONDS),
            "BABEL_DEFAULT_LOCALE": "nl",
            "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
            "BABEL_TRANSLATION_DIRECTORIES": os.path.join(
                os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "translations"
            ),
            "WTF_CSRF_TIME_LIMIT": None,  # bound to the login session instead
            "LOG_SQL": _env_bool("LOG_SQL", False),
            "API_REQUESTS_PER_MINUTE": int(_env("API_REQUESTS_PER_MINUTE") or API_REQUESTS_PER_MINUTE),
            "TRUSTED_HOSTS": _trusted_hosts(base_url, self.trust_base_url_host_only),
            "PROXY_COUNT": _proxy_count(),
            # A trainer's own scenario files, beside the shipped ones (docs/scenarios.md).
            "SCENARIO_DIR": _env("SCENARIO_DIR") or None,
            **_mail_settings(instance_path, base_url),
        }

    def check(self, config: dict[str, Any]) -> None:
        """Refuse settings that are unsafe for this environment."""
        if is_practice(config):
            _check_practice_mode(config)


@dataclass(frozen=True)
class DevelopmentConfig(BaseConfig):
    name = "development"


@dataclass(frozen=True)
class TestConfig(BaseConfig):
    name = "test"
    testing = True

    def mapping(self, instance_path: str) -> dict[str, Any]:
        values = super().mapping(instance_path)
        values["DATABASE_URL"] = _env("TEST_DATABASE_URL") or "sqlite://"
        values["SECRET_KEY"] = values["SECRET_KEY"] or "test-secret-key-not-for-production"
        return values


@dataclass(frozen=True)
class ProductionConfig(BaseConfig):
    name = "production"
    secure_cookies = True
    practice_digid_default = False
    trust_base_url_host_only = True

    def check(self, config: dict[str, Any]) -> None:
        if is_practice(config):
            raise ConfigError(
                "Practice mode must not run in production: unset PORTAL_MODE "
                "(or set it to normal), or run the practice portal without PORTAL_ENV=production."
            )
        if config["PRACTICE_DIGID"]:
            raise ConfigError(
                "The practice DigiD must not run in production: unset PORTAL_PRACTICE_DIGID."
            )
        for key in ("SECRET_KEY", "OIDC_ISSUER", "OIDC_CLIENT_SECRET"):
            if not config[key]:
                raise ConfigError(f"Production needs PORTAL_{key}.")
        if len(config["SECRET_KEY"].encode("utf-8")) < MIN_SECRET_KEY_BYTES:
            raise ConfigError(
                f"Production needs a PORTAL_SECRET_KEY of at least {MIN_SECRET_KEY_BYTES} bytes, "
                "for example from: python -c 'import secrets; print(secrets.token_hex(32))'."
            )
        if not config["DATABASE_URL"].startswith("postgresql"):
            raise ConfigError("Production needs PostgreSQL in PORTAL_DATABASE_URL.")
        for key in ("BASE_URL", "OIDC_ISSUER", "OIDC_REDIRECT_URI"):
            if not _is_https(config[key]):
                raise ConfigError(f"Production needs an https PORTAL_{key}.")
        if config["OIDC_POST_LOGOUT_REDIRECT_URI"] and not _is_https(config["OIDC_POST_LOGOUT_REDIRECT_URI"]):
            raise ConfigError("Production needs an https PORTAL_OIDC_POST_LOGOUT_REDIRECT_URI.")
        if config["SMTP_PASSWORD"] and not (config["SMTP_STARTTLS"] or config["SMTP_TLS"]):
            raise ConfigError(
                "PORTAL_SMTP_PASSWORD would be sent unencrypted: "
                "turn on PORTAL_SMTP_STARTTLS or PORTAL_SMTP_TLS."
            )


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def load_config(instance_path: str, name: str | None = None) -> dict[str, Any]:
    """Build the settings for ``name`` (default: ``PORTAL_ENV`` or development)."""
    name = name or _env("ENV", "development")
    try:
        config_class = CONFIGS[name]
    except KeyError:
        raise ConfigError(f"Unknown PORTAL_ENV {name!r}: use one of {sorted(CONFIGS)}.") from None
    config = config_class()
    values = config.mapping(instance_path)
    config.check(values)
    return values


def development_secret(instance_path: str) -> str:
    """A secret kept in the instance folder so development sessions survive restarts."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        os.makedirs(instance_path, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    with open(path) as handle:
        return handle.read().strip()
