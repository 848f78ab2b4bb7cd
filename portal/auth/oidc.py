"""The portal as an OpenID Connect relying party (NL GOV profile).

Works with any standards-compliant provider given PORTAL_OIDC_ISSUER, _CLIENT_ID and
_CLIENT_SECRET. What it does, and why each check is here:

- Discovery is read afresh at every login start and callback (OIDC Discovery 4.3): its
  ``issuer`` must be exactly the configured one, and it must name an authorization, a token
  and a JWKS endpoint. A provider that is down, slow or gives unusable metadata is
  ``ProviderDown`` ("DigiD werkt nu niet"), never a 500 or a browser sent to a dead host.
- Every call to the provider has a real time-out (``PORTAL_OIDC_TIMEOUT_SECONDS``, for the
  connection and for each read), so a hanging provider never blocks a worker.
- Authorization code flow with PKCE S256, ``state`` and ``nonce`` of 256 bits each and the
  exact redirect URI. At most ``MAX_PENDING_LOGINS`` logins wait in the cookie session,
  newest first, each for ``PENDING_LOGIN_SECONDS``: starting again and again never makes the
  cookie grow or a later login fail.
- The authorization response's ``iss`` (RFC 9207) must be the issuer when given, and must be
  given when the provider says it sends it.
- Every login asks the provider to authenticate the person again (``prompt=login``,
  ``max_age=0``) and checks ``auth_time``: on a shared computer, a provider session left by
  the previous person never opens their box for the next one.
- The ID token: signature with an allow-listed algorithm (``ID_TOKEN_ALGORITHMS``, never
  what the provider advertises), ``iss``, ``aud``, ``azp``, ``nonce``, ``exp``, ``iat`` and
  ``at_hash`` with ``LEEWAY_SECONDS`` of clock difference (authlib's claim classes).
- The BSN claim is read from the ID token, else from userinfo (whose ``sub`` must be the ID
  token's). A missing claim is a configuration fault: ``LoginFailed``, logged for the operator.

Built on authlib's OAuth 2 client session (token request, client authentication, PKCE) and
claim checks and joserfc's JWS verification; the flow around them is ours because authlib's
Flask client keeps every started login in the session for an hour, caches metadata for the
life of the process, ignores ``iss`` and its ``timeout`` setting (issue 16, items 4, 11-16).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.urls import add_params_to_uri
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from flask import current_app, session, url_for
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

NONCE_BYTES = 32  # 256 bits; the profile asks for at least 128
STATE_BYTES = 32  # 256 bits, chosen here rather than left to the library's default
VERIFIER_BYTES = 32  # a 43-character PKCE code verifier (RFC 7636: 43 to 128)
# Clock difference allowed between the provider and us for exp, iat and auth_time.
LEEWAY_SECONDS = 30
# The only ID token signatures accepted, whatever the provider advertises.
ID_TOKEN_ALGORITHMS = ("RS256", "PS256", "ES256")
# Logins started in one browser and not finished: the newest few, each for a while.
MAX_PENDING_LOGINS = 3
PENDING_LOGIN_SECONDS = 15 * 60
# Where they wait in the cookie session (``_pending``).
PENDING_KEY = "oidc_logins"
# Keys authlib's Flask client left in sessions before this module replaced it.
LEGACY_STATE_PREFIX = "_state_digid_"
# The logout's own state: the provider hands it back only when it logged out too.
LOGOUT_STATE_KEY = "oidc_logout"
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")
OPTIONAL_ENDPOINTS = ("userinfo_endpoint", "end_session_endpoint")


class ProviderDown(Exception):
    """The provider cannot be reached in time or its metadata cannot be used."""


class LoginFailed(Exception):
    """The answer to a login did not pass a check. ``reason`` is for the operator's log and
    never holds personal data."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    end_session_endpoint: str | None
    sends_iss: bool  # authorization_response_iss_parameter_supported (RFC 9207)


@dataclass(frozen=True)
class Login:
    """A finished login: the checked ID token claims and the BSN claim's value."""

    claims: dict[str, Any]
    bsn: str

    @property
    def nonce(self) -> str | None:
        return self.claims.get("nonce")


def new_nonce() -> str:
    return secrets.token_urlsafe(NONCE_BYTES)


def new_state() -> str:
    return secrets.token_urlsafe(STATE_BYTES)


def _timeout() -> float:
    return float(current_app.config["OIDC_TIMEOUT_SECONDS"])


def _get_json(url: str, *, access_token: str | None = None) -> Any:
    """GET a JSON document from the provider within the time-out, or ProviderDown."""
    headers = {"Accept": "application/json"}
    if access_token is not None:
        headers["Authorization"] = f"Bearer {access_token}"
    try:
        response = requests.get(url, timeout=_timeout(), headers=headers)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderDown(type(error).__name__) from error


def _is_web_address(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) > 8


def discover() -> Provider:
    """The provider's metadata, read now and checked (OIDC Discovery 4.2 and 4.3)."""
    issuer = current_app.config["OIDC_ISSUER"]
    data = _get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
    if not isinstance(data, dict):
        raise ProviderDown("metadata is not a JSON object")
    if data.get("issuer") != issuer:
        raise ProviderDown("metadata issuer is not the configured issuer")
    for name in REQUIRED_ENDPOINTS:
        if not _is_web_address(data.get(name)):
            raise ProviderDown(f"metadata has no usable {name}")
    optional = {name: data[name] if _is_web_address(data.get(name)) else None for name in OPTIONAL_ENDPOINTS}
    return Provider(
        issuer=issuer,
        authorization_endpoint=data["authorization_endpoint"],
        token_endpoint=data["token_endpoint"],
        jwks_uri=data["jwks_uri"],
        sends_iss=data.get("authorization_response_iss_parameter_supported") is True,
        **optional,
    )


# --- logins waiting in the cookie session -------------------------------------------------


def _pending(now: float) -> list[list[Any]]:
    """The logins still waiting, oldest first, as [state, nonce, verifier, started at]:
    without expired ones or anything malformed."""
    for key in [key for key in session if key.startswith(LEGACY_STATE_PREFIX)]:
        session.pop(key)
    stored = session.get(PENDING_KEY)
    if not isinstance(stored, list):
        return []
    return [
        item
        for item in stored
        if isinstance(item, list)
        and len(item) == 4
        and all(isinstance(part, str) for part in item[:3])
        and isinstance(item[3], (int, float))
        and now - PENDING_LOGIN_SECONDS <= item[3] <= now + LEEWAY_SECONDS
    ]


def _remember(state: str, nonce: str, verifier: str, now: float) -> None:
    waiting = _pending(now) + [[state, nonce, verifier, int(now)]]
    session[PENDING_KEY] = waiting[-MAX_PENDING_LOGINS:]  # the newest win


def _take(state: str | None, now: float) -> dict[str, Any] | None:
    """The waiting login this answer belongs to, removed so it is used once."""
    waiting = _pending(now)
    found = next((item for item in waiting if state and hmac.compare_digest(item[0], state)), None)
    session[PENDING_KEY] = [item for item in waiting if item is not found]
    if found is None:
        return None
    return {"nonce": found[1], "verifier": found[2], "at": found[3]}


# --- the flow ------------------------------------------------------------------------------


def start_login(*, ui_locales: str, nonce: str | None = None) -> str:
    """Where to send the browser to log in. ``nonce``: one chosen by the caller (the help
    desk binds its visit to it); otherwise a new one."""
    provider = discover()
    now = time.time()
    state, verifier = new_state(), secrets.token_urlsafe(VERIFIER_BYTES)
    nonce = nonce or new_nonce()
    _remember(state, nonce, verifier, now)
    config = current_app.config
    return add_params_to_uri(
        provider.authorization_endpoint,
        [
            ("response_type", "code"),
            ("client_id", config["OIDC_CLIENT_ID"]),
            ("redirect_uri", config["OIDC_REDIRECT_URI"]),
            ("scope", config["OIDC_SCOPE"]),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", create_s256_code_challenge(verifier)),
            ("code_challenge_method", "S256"),
            ("ui_locales", ui_locales),
            ("prompt", "login"),
            ("max_age", "0"),
        ],
    )


def drop_pending(state: str | None) -> None:
    """A login cancelled at the provider: forget it."""
    _take(state, time.time())


def finish_login(args: dict[str, str]) -> Login:
    """Check the provider's answer (the callback's query) and the tokens it leads to."""
    now = time.time()
    waiting = _take(args.get("state"), now)
    if waiting is None:
        raise LoginFailed("unknown or expired state")
    provider = discover()
    iss = args.get("iss")
    if iss is not None and iss != provider.issuer:
        raise LoginFailed("iss parameter is not the issuer")
    if iss is None and provider.sends_iss:
        raise LoginFailed("iss parameter missing")
    code = args.get("code")
    if not code:
        raise LoginFailed("no code")
    token = _exchange(provider, code, waiting["verifier"])
    claims = _checked_id_token(provider, token, nonce=waiting["nonce"], started_at=waiting["at"])
    bsn = _bsn(provider, claims, token)
    return Login(claims=claims, bsn=bsn)


def _exchange(provider: Provider, code: str, verifier: str) -> dict[str, Any]:
    config = current_app.config
    try:
        with OAuth2Session(
            config["OIDC_CLIENT_ID"],
            config["OIDC_CLIENT_SECRET"],
            token_endpoint_auth_method="client_secret_basic",
            default_timeout=_timeout(),
        ) as http:
            token = http.fetch_token(
                provider.token_endpoint,
                grant_type="authorization_code",
                code=code,
                redirect_uri=config["OIDC_REDIRECT_URI"],
                code_verifier=verifier,
            )
    except requests.RequestException as error:  # also a body that is not JSON
        raise ProviderDown(type(error).__name__) from error
    except (AuthlibBaseError, ValueError) as error:
        raise LoginFailed(f"token request refused ({type(error).__name__})") from error
    if not isinstance(token.get("id_token"), str) or not isinstance(token.get("access_token"), str):
        raise LoginFailed("token response without id_token or access_token")
    return dict(token)


def _checked_id_token(provider: Provider, token: dict[str, Any], *, nonce: str, started_at: float) -> dict[str, Any]:
    try:
        keys = KeySet.import_key_set(_get_json(provider.jwks_uri))
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise ProviderDown(f"unusable JWKS ({type(error).__name__})") from error
    client_id = current_app.config["OIDC_CLIENT_ID"]
    try:
        decoded = jwt.decode(token["id_token"], keys, algorithms=list(ID_TOKEN_ALGORITHMS))
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "value": provider.issuer},
                "aud": {"essential": True, "value": client_id},
            },
            {"nonce": nonce, "client_id": client_id, "access_token": token["access_token"], "max_age": 0},
        )
        claims.validate(leeway=LEEWAY_SECONDS)
    except (JoseError, ValueError, TypeError) as error:
        raise LoginFailed(f"ID token refused ({type(error).__name__})") from error
    if "nonce" not in claims:
        raise LoginFailed("ID token without nonce")
    auth_time = claims.get("auth_time")
    if not isinstance(auth_time, (int, float)) or isinstance(auth_time, bool):
        raise LoginFailed("ID token without auth_time")
    if not started_at - LEEWAY_SECONDS <= auth_time <= time.time() + LEEWAY_SECONDS:
        # prompt=login was not honoured: an earlier authentication was reused.
        raise LoginFailed("the provider did not authenticate again")
    return dict(claims)


def _bsn(provider: Provider, claims: dict[str, Any], token: dict[str, Any]) -> str:
    name = current_app.config["OIDC_BSN_CLAIM"]
    value = claims.get(name)
    if value is None and provider.userinfo_endpoint:
        info = _get_json(provider.userinfo_endpoint, access_token=token["access_token"])
        if not isinstance(info, dict) or not hmac.compare_digest(str(info.get("sub", "")), str(claims["sub"])):
            raise LoginFailed("userinfo sub is not the ID token's")
        value = info.get(name)
    if value is None:
        raise LoginFailed(f"claim {name!r} in neither the ID token nor userinfo: check PORTAL_OIDC_BSN_CLAIM and PORTAL_OIDC_SCOPE")
    return str(value)


# --- logout --------------------------------------------------------------------------------


def logout_url() -> str | None:
    """Where to end the session at the provider too, or None if it offers no logout.

    Sends ``client_id`` rather than ``id_token_hint`` (the ID token carries the BSN and must
    not travel in a URL) and a ``state`` that the provider hands back only when it logged
    out too (``logged_out_at_provider``).
    """
    try:
        provider = discover()
    except ProviderDown:
        return None
    if provider.end_session_endpoint is None:
        return None
    state = new_state()
    session[LOGOUT_STATE_KEY] = state
    config = current_app.config
    back = config.get("OIDC_POST_LOGOUT_REDIRECT_URI") or config["BASE_URL"] + url_for("auth.logged_out")
    return add_params_to_uri(
        provider.end_session_endpoint,
        [("client_id", config["OIDC_CLIENT_ID"]), ("post_logout_redirect_uri", back), ("state", state)],
    )


def logged_out_at_provider(returned_state: str | None) -> bool:
    """Whether the provider came back from its logout with our state (used once)."""
    expected = session.pop(LOGOUT_STATE_KEY, None)
    if not expected or not returned_state:
        return False
    return hmac.compare_digest(hashlib.sha256(expected.encode()).digest(), hashlib.sha256(returned_state.encode()).digest())
