"""The portal as an OpenID Connect relying party (NL GOV profile).

Works with any standards-compliant provider given PORTAL_OIDC_ISSUER, _CLIENT_ID and
_CLIENT_SECRET: discovery, authorization code flow with PKCE S256, ``state`` and ``nonce``
of 256 bits each, the exact redirect URI, and an ID token checked for signature, ``iss``,
``aud``, ``nonce`` and ``exp`` (by authlib's ``parse_id_token``).
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

NONCE_BYTES = 32  # 256 bits; the profile asks for at least 128
STATE_BYTES = 32  # 256 bits, chosen here rather than left to the library's default
CLIENT_NAME = "digid"
METADATA_TIMEOUT_SECONDS = 10


def init_app(app: Flask) -> None:
    # One OAuth registry per app: authlib's registry keeps the app it was bound to.
    app.extensions["portal.oauth"] = OAuth(app)


def client() -> Any:
    """The registered OIDC client, registered at first use (the practice provider may have
    set the client secret while the app was being built)."""
    oauth: OAuth = current_app.extensions["portal.oauth"]
    existing = oauth.create_client(CLIENT_NAME)
    if existing is not None:
        return existing
    config = current_app.config
    return oauth.register(
        CLIENT_NAME,
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config["OIDC_CLIENT_SECRET"],
        server_metadata_url=config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": config["OIDC_SCOPE"],
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",
            "timeout": METADATA_TIMEOUT_SECONDS,
        },
    )


def new_nonce() -> str:
    return secrets.token_urlsafe(NONCE_BYTES)


def new_state() -> str:
    return secrets.token_urlsafe(STATE_BYTES)


def logout_url(post_logout_redirect_uri: str) -> str | None:
    """Where to end the session at the provider too, or None if it offers no logout.

    Sends ``client_id`` rather than ``id_token_hint``: the ID token carries the BSN and must
    not travel in a URL.
    """
    try:
        metadata = client().load_server_metadata()
    except (requests.RequestException, ValueError):
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode(
        {
            "client_id": current_app.config["OIDC_CLIENT_ID"],
            "post_logout_redirect_uri": post_logout_redirect_uri,
        }
    )
    return f"{endpoint}?{query}"
