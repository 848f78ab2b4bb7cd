"""The practice DigiD as its own small Flask app, mounted at /oefen-digid in front of the portal."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, render_template, request
from flask_babel import Babel, get_locale
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from werkzeug.exceptions import HTTPException

from portal.config import PRACTICE_DIGID_PATH, PortalMode, is_practice
from portal.db import make_engine
from portal.i18n import DEFAULT_LANGUAGE, text_direction
from portal.i18n import LANGUAGES as PORTAL_LANGUAGES
from portal.security import refuse_unsafe_input
from portal.practice import browser
from portal.practice_digid import server as oidc
from portal.practice_digid import views
from portal.practice_digid.keys import load_or_create_signing_key
from portal.practice_digid.server import db_session

MOUNT_PATH = PRACTICE_DIGID_PATH
COOKIE_NAME = "oefen_digid"
# The portal's languages (one list): the practice DigiD speaks those it has a catalogue for.
LANGUAGES: tuple[str, ...] = tuple(PORTAL_LANGUAGES)
MAX_REQUEST_BYTES = 64 * 1024
# The portal's page that explains the practice environment (help.practice, a public page).
PRACTICE_INFO_PATH = "/hulp/oefenomgeving"
# The portal's practice page (``practice.start``): begin, start again, stop.
PRACTICE_START_PATH = "/oefenen/"
PRACTICE_MAIL_PATH = "/oefenen/e-mail"


def create_provider_app(
    portal_config: Mapping[str, Any],
    *,
    engine: Engine | None = None,
    instance_path: str | None = None,
) -> Flask:
    """Build the practice DigiD (an OpenID Connect provider) from the portal's settings.

    ``engine`` should be the portal's own engine (the same database, also for in-memory
    SQLite); without it one is made from ``DATABASE_URL``. The signing key is kept in
    ``instance_path`` (the portal's instance folder). When the portal has no
    ``OIDC_CLIENT_SECRET`` a stable one is derived from ``SECRET_KEY`` and written back
    into ``portal_config`` (when it can be written), so the portal's relying party
    uses the same one.
    """
    if portal_config.get("ENV_NAME") == "production":
        # The config check refuses this too; a second lock on a door to fake identities.
        raise RuntimeError("The practice DigiD must not run in production.")
    secret_key = portal_config.get("SECRET_KEY")
    if not secret_key:
        raise RuntimeError("The practice DigiD needs the portal's SECRET_KEY.")
    base_url = str(portal_config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    issuer = str(portal_config.get("OIDC_ISSUER") or base_url + MOUNT_PATH).rstrip("/")

    client_secret = portal_config.get("OIDC_CLIENT_SECRET")
    if not client_secret:
        client_secret = oidc.derive_client_secret(secret_key)
        if isinstance(portal_config, MutableMapping):
            portal_config["OIDC_CLIENT_SECRET"] = client_secret

    instance_path = instance_path or os.environ.get("PORTAL_INSTANCE_PATH") or None
    app = Flask(__name__, instance_path=instance_path)
    app.config.update(
        # Its own signing secret, so a portal cookie is never a valid provider cookie.
        SECRET_KEY=hmac.new(
            secret_key.encode(), b"oefen-digid session", hashlib.sha256
        ).hexdigest(),
        TESTING=bool(portal_config.get("TESTING", False)),
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_PATH=MOUNT_PATH,
        SESSION_COOKIE_SECURE=bool(portal_config.get("SESSION_COOKIE_SECURE", False)),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        BABEL_DEFAULT_LOCALE=DEFAULT_LANGUAGE,
        WTF_CSRF_TIME_LIMIT=60 * 60,
    )
    translations = portal_config.get("BABEL_TRANSLATION_DIRECTORIES")
    if translations:
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = translations

    app.extensions[oidc.EXTENSION_KEY] = oidc.ProviderSettings(
        issuer=issuer,
        client=oidc.PracticeClient(
            client_id=str(portal_config.get("OIDC_CLIENT_ID") or "burgerportaal"),
            client_secret=str(client_secret),
            redirect_uri=str(
                portal_config.get("OIDC_REDIRECT_URI") or base_url + "/inloggen/terug"
            ),
        ),
        post_logout_redirect_uri=str(
            portal_config.get("OIDC_POST_LOGOUT_REDIRECT_URI") or base_url + "/uitgelogd"
        ),
        portal_url=base_url + "/",
        secret_key=secret_key,
        signing_key=load_or_create_signing_key(app.instance_path),
    )
    if engine is None:
        engine = make_engine(portal_config["DATABASE_URL"])
    app.extensions[oidc.SESSIONMAKER_KEY] = sessionmaker(engine, expire_on_commit=False)
    oidc.init_server(app)

    _init_babel(app)
    _init_practice_bar(app, practice=is_practice(portal_config), portal_url=base_url)
    _init_security(app, portal_origin=_origin(base_url))

    app.register_blueprint(views.bp)
    csrf = CSRFProtect(app)
    # The token endpoint is called server to server with client authentication;
    # RP-initiated logout is a plain navigation (no form of ours to hold a token).
    csrf.exempt(views.token)
    csrf.exempt(views.logout)
    _init_errors(app)
    return app


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _available_languages(app: Flask) -> tuple[str, ...]:
    """Dutch (the source language) plus the languages that have a compiled catalogue."""
    directories = str(app.config.get("BABEL_TRANSLATION_DIRECTORIES") or "translations")
    found = [DEFAULT_LANGUAGE]
    for code in LANGUAGES:
        if code == DEFAULT_LANGUAGE:
            continue
        for directory in directories.split(";"):
            directory = os.path.join(app.root_path, directory)
            if os.path.exists(os.path.join(directory, code, "LC_MESSAGES", "messages.mo")):
                found.append(code)
                break
    return tuple(found)


def _init_babel(app: Flask) -> None:
    languages = _available_languages(app)

    def select_locale() -> str:
        # OpenID Connect's ui_locales first (space-separated, in order of preference).
        for tag in (request.args.get("ui_locales") or "").split():
            code = tag.split("-")[0].lower()
            if code in languages:
                return code
        return request.accept_languages.best_match(languages) or DEFAULT_LANGUAGE

    Babel(app, locale_selector=select_locale)

    @app.context_processor
    def language_context() -> dict[str, object]:
        code = str(get_locale() or DEFAULT_LANGUAGE)
        return {"page_lang": code, "page_dir": text_direction(code)}


def _init_practice_bar(app: Flask, *, practice: bool, portal_url: str) -> None:
    """The portal's practice bar on every page here too, in practice mode. Its one template
    comes from the portal's components folder; its link goes to the portal's explanation."""
    components = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                              "templates", "components")
    app.jinja_loader = ChoiceLoader([
        app.jinja_loader,  # type: ignore[list-item]
        PrefixLoader({"components": FileSystemLoader(components)}),
    ])
    # portal.practice.browser reads the mode from here, as in the portal's own config.
    app.config["MODE"] = PortalMode.PRACTICE if practice else PortalMode.NORMAL
    context: dict[str, object] = {"practice_mode": practice}
    if practice:
        context["practice_info_url"] = portal_url + PRACTICE_INFO_PATH
        context["practice_start_url"] = portal_url + PRACTICE_START_PATH
        context["practice_mail_url"] = portal_url + PRACTICE_MAIL_PATH

    def bar() -> dict[str, object]:
        if not practice:
            return context
        return {**context, "practice_sandbox": browser.current_sandbox(db_session())}

    app.context_processor(bar)


def _init_security(app: Flask, portal_origin: str) -> None:
    csp = "; ".join(
        [
            "default-src 'none'",
            "style-src 'self'",
            "img-src 'self'",
            f"form-action 'self' {portal_origin}",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ]
    )
    secure = app.config["SESSION_COOKIE_SECURE"]
    # The same guard as the portal's: no NUL or control characters reach a query.
    app.before_request(refuse_unsafe_input)

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = csp
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Cache-Control"] = "no-store"
        headers["X-Frame-Options"] = "DENY"
        # Not no-referrer: Flask-WTF's strict check needs a same-origin Referer on the
        # login form over https. Other sites never see the authorize URL.
        headers["Referrer-Policy"] = "same-origin"
        if secure:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        return response


def _init_errors(app: Flask) -> None:
    def page(heading: str, message: str, status: int) -> tuple[str, int]:
        return (
            render_template("practice_digid/error.html", heading=heading, message=message),
            status,
        )

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> tuple[str, int]:
        return page(
            _("Het inloggen is verlopen"),
            _(
                "Het inlogformulier was te oud of niet compleet. Ga terug naar de website "
                "waar u vandaan kwam en begin opnieuw met inloggen."
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        status = error.code or 500
        if status < 400:
            return error
        if status == 404:
            return page(
                _("Deze pagina bestaat niet"),
                _("Oefen-DigiD heeft geen pagina op dit adres."),
                404,
            )
        if status == 405:
            return page(
                _("Dit kan hier niet"),
                _("Deze pagina van Oefen-DigiD werkt niet op deze manier."),
                405,
            )
        if status == 413:
            return page(
                _("Te veel gegevens"),
                _("Er zijn te veel gegevens verstuurd. Probeer het opnieuw."),
                413,
            )
        if status >= 500:
            return page(
                _("Er ging iets mis bij Oefen-DigiD"),
                _("Probeer het later opnieuw."),
                status,
            )
        return page(
            _("Deze vraag klopt niet"),
            _("Oefen-DigiD kan deze vraag niet verwerken. Begin opnieuw met inloggen."),
            status,
        )
