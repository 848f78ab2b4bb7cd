"""The practice DigiD's pages and endpoints (relative to the mount, /oefen-digid)."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import OAuth2Error
from flask import (
    Blueprint,
    Response,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError

from portal.demo.people import PRACTICE_PASSWORD
from portal.practice import browser
from portal.practice_digid.keys import public_jwks
from portal.practice_digid.logins import check_practice_login, practice_logins
from portal.practice_digid.server import (
    CLIENT_AUTH_METHODS,
    SCOPES_SUPPORTED,
    SIGNING_ALGORITHM,
    db_session,
    server,
    settings,
)

log = logging.getLogger(__name__)

bp = Blueprint("practice_digid", __name__)

PORTAL_NAME = "Burgerportaal"


@bp.get("/.well-known/openid-configuration")
def discovery() -> Response:
    issuer = settings().issuer
    return jsonify(
        {
            "issuer": issuer,
            "authorization_endpoint": issuer + "/authorize",
            "token_endpoint": issuer + "/token",
            "jwks_uri": issuer + "/jwks.json",
            "end_session_endpoint": issuer + "/logout",
            # RFC 9207: every answer at the redirect URI names us (``_name_the_issuer``).
            "authorization_response_iss_parameter_supported": True,
            # No userinfo_endpoint: everything is in the ID token.
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [SIGNING_ALGORITHM],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": list(CLIENT_AUTH_METHODS),
            "scopes_supported": list(SCOPES_SUPPORTED),
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "bsn"],
            "ui_locales_supported": ["nl", "en"],
            "claims_parameter_supported": False,
            "request_parameter_supported": False,
            "request_uri_parameter_supported": False,
        }
    )


@bp.after_request
def _name_the_issuer(response: Response) -> Response:
    """Add ``iss`` to every authorization answer sent to the client's redirect URI
    (RFC 9207), so the client can tell which provider answered."""
    location = response.headers.get("Location")
    if response.status_code in (301, 302, 303, 307) and location:
        redirect_uri = settings().client.redirect_uri
        if location.split("?", 1)[0] == redirect_uri:
            response.headers["Location"] = add_params_to_uri(location, [("iss", settings().issuer)])
    return response


@bp.get("/jwks.json")
def jwks() -> Response:
    return jsonify(public_jwks(settings().signing_key))


def _consent_grant() -> tuple[Any, Any]:
    """The grant of this authorization request and None; or None and the response that
    refuses it (``_check_client_and_redirect_uri``, then ``_authorization_error``)."""
    problem = _check_client_and_redirect_uri()
    if problem is not None:
        return None, problem
    try:
        return server().get_consent_grant(end_user=None), None
    except OAuth2Error as error:
        return None, _authorization_error(error)


@bp.route("/authorize", methods=["GET", "POST"])
def authorize() -> Any:
    grant, problem = _consent_grant()
    if problem is not None:
        return problem

    if request.method == "GET":
        return _login_page(username="", errors={})

    username = request.form.get("username", "")
    password = request.form.get("password", "")
    errors: dict[str, str] = {}
    if not username.strip():
        errors["username"] = _("Vul uw gebruikersnaam in.")
    if not password:
        errors["password"] = _("Vul uw wachtwoord in.")
    login = None
    if not errors:
        login = check_practice_login(db_session(), username, password, sandbox_id=_world())
        if login is None:
            errors["credentials"] = _(
                "De gebruikersnaam of het wachtwoord is niet juist. Let op hoofdletters "
                "en spaties, en probeer het opnieuw."
            )
    if login is None:
        return _login_page(username=username, errors=errors)

    log.info("Practice DigiD login as %s", login.username)
    return server().create_authorization_response(grant=grant, grant_user=login)


@bp.get("/annuleren")
def cancel() -> Any:
    """The "Terug naar Burgerportaal" link: tell the portal the person stopped.

    Per OAuth that is ``error=access_denied`` (with the state) at the redirect URI.
    """
    grant, problem = _consent_grant()
    if problem is not None:
        return problem
    return server().create_authorization_response(grant=grant, grant_user=None)


@bp.post("/token")
def token() -> Response:
    try:
        return server().create_token_response()
    except OAuth2Error as error:  # e.g. plain http from a non-loopback address
        return server().handle_error_response(None, error)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Any:
    """RP-initiated logout: end the session here, then back to the portal if that is safe."""
    config = settings()
    target = request.values.get("post_logout_redirect_uri")
    state = request.values.get("state")
    session.clear()
    hint = request.values.get("id_token_hint")
    client_id = request.values.get("client_id")
    if (
        target
        and target == config.post_logout_redirect_uri
        and _logout_client_known(hint, client_id)
    ):
        return redirect(add_params_to_uri(target, [("state", state)]) if state else target)
    return render_template("practice_digid/logged_out.html", portal_url=config.portal_url)


def _logout_client_known(id_token_hint: str | None, client_id: str | None) -> bool:
    """Is the logout request from our client? By an ID token we signed, or its client_id.

    The hint is usually expired by now: only its signature, issuer and audience count.
    """
    config = settings()
    expected = config.client.client_id
    if id_token_hint:
        try:
            claims = jwt.decode(
                id_token_hint, config.signing_key, algorithms=[SIGNING_ALGORITHM]
            ).claims
        except (JoseError, ValueError):
            return False
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if claims.get("iss") != config.issuer or expected not in audiences:
            return False
        return client_id is None or client_id == expected
    return bool(client_id) and hmac.compare_digest(client_id.encode(), expected.encode())


def _check_client_and_redirect_uri() -> tuple[str, int] | None:
    """Plain error pages for what must never be answered with a redirect."""
    client = settings().client
    client_id = request.values.get("client_id")
    if not client_id or client_id != client.client_id:
        return _error_page(
            _("Onbekende website"),
            _(
                "De website die u naar Oefen-DigiD stuurde, is hier niet bekend. "
                "Daarom kunt u niet inloggen. Ga terug naar de website en probeer het opnieuw."
            ),
        )
    redirect_uri = request.values.get("redirect_uri")
    if not redirect_uri:
        return _error_page(
            _("Het terugstuuradres ontbreekt"),
            _(
                "De website gaf niet op waar u na het inloggen naartoe gaat. "
                "Daarom kunt u niet inloggen."
            ),
        )
    if not client.check_redirect_uri(redirect_uri):
        return _error_page(
            _("Het terugstuuradres klopt niet"),
            _(
                "De website wil u na het inloggen naar een adres sturen dat niet bij "
                "Oefen-DigiD bekend is. Voor uw veiligheid gaat het inloggen niet door."
            ),
        )
    return None


def _authorization_error(error: OAuth2Error) -> Any:
    """Back to the client with ?error=... when its redirect URI is verified, else a page."""
    if error.redirect_uri and settings().client.check_redirect_uri(error.redirect_uri):
        return server().handle_error_response(None, error)
    return _error_page(
        _("De inlogvraag klopt niet"),
        _(
            "De website vroeg Oefen-DigiD op een manier die niet klopt. "
            "Ga terug naar de website en probeer het opnieuw."
        ),
        detail=f"{error.error}: {error.description or ''}".strip(": "),
    )


def _error_page(heading: str, message: str, detail: str | None = None) -> tuple[str, int]:
    return (
        render_template(
            "practice_digid/error.html", heading=heading, message=message, detail=detail
        ),
        400,
    )


def _world() -> int | None:
    """Whose logins this browser may use: its practice sandbox's in practice mode (none
    before the learner began), the shared demo world's otherwise."""
    return browser.current_world(db_session())


def _login_page(username: str, errors: dict[str, str]) -> str:
    query = request.query_string.decode("ascii", "replace")
    suffix = f"?{query}" if query else ""
    return render_template(
        "practice_digid/login.html",
        username=username,
        errors=errors,
        form_action=url_for(".authorize") + suffix,
        cancel_url=url_for(".cancel") + suffix,
        client_name=PORTAL_NAME,
        logins=practice_logins(db_session(), sandbox_id=_world()),
        practice_password=PRACTICE_PASSWORD,
        practice_not_started=_world() == browser.NO_WORLD,
    )
