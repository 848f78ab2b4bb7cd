"""OAuth2 client credentials for organisations (authlib), and bearer-token checks.

Clients and tokens are stored as SHA-256 hashes. Each client belongs to one organisation
(bound to its OIN) and has scopes per capability.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from flask import Flask, current_app, g, request
from sqlalchemy import select

from portal.api import bp
from portal.api.problems import Problem
from portal.api.ratelimit import RateLimiter
from portal.db import get_session
from portal.domain.api_clients import SCOPES, sha256
from portal.models import ApiClient, ApiToken, Organisation
from portal.timeutil import as_utc, utcnow

TOKEN_LIFETIME_SECONDS = 3600


@dataclass
class OAuthClient(ClientMixin):
    """authlib's view of an ApiClient."""

    row: ApiClient

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = set(self.row.scopes.split())
        if not scope:
            return " ".join(sorted(allowed))
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(self.row.secret_hash, sha256(client_secret))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class CredentialsGrant(ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


def _query_client(client_id: str) -> OAuthClient | None:
    row = get_session().scalar(
        select(ApiClient).where(ApiClient.client_id == client_id, ApiClient.revoked_at.is_(None))
    )
    return OAuthClient(row) if row is not None else None


def _save_token(token: dict[str, Any], oauth_request: Any) -> None:
    client: OAuthClient = oauth_request.client
    db = get_session()
    db.add(
        ApiToken(
            token_hash=sha256(token["access_token"]),
            client_id=client.row.id,
            scope=token.get("scope", ""),
            expires_at=utcnow() + timedelta(seconds=int(token["expires_in"])),
        )
    )
    db.commit()


def init_app(app: Flask) -> None:
    app.config.setdefault(
        "OAUTH2_TOKEN_EXPIRES_IN", {"client_credentials": TOKEN_LIFETIME_SECONDS}
    )
    server = AuthorizationServer(app, query_client=_query_client, save_token=_save_token)
    server.register_grant(CredentialsGrant)
    app.extensions["portal.api_oauth"] = server
    app.extensions["portal.api_rate"] = RateLimiter(app.config["API_REQUESTS_PER_MINUTE"])


@bp.post("/oauth/token")
def token() -> Any:
    """OAuth2 token endpoint (client credentials only)."""
    server: AuthorizationServer = current_app.extensions["portal.api_oauth"]
    return server.create_token_response()


F = TypeVar("F", bound=Callable[..., Any])


def require_scope(scope: str) -> Callable[[F], F]:
    """The view needs a valid bearer token with this scope; ``g.organisation`` is set."""
    assert scope in SCOPES, scope

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            header = request.headers.get("Authorization", "")
            kind, _, value = header.partition(" ")
            challenge = {"WWW-Authenticate": 'Bearer realm="burgerportaal"'}
            if kind.lower() != "bearer" or not value:
                raise Problem(401, "missing_token", "Send an OAuth2 bearer token.", headers=challenge)
            row = get_session().scalar(
                select(ApiToken).where(ApiToken.token_hash == sha256(value.strip()))
            )
            if row is None or as_utc(row.expires_at) <= utcnow() or row.client.revoked_at:
                raise Problem(401, "invalid_token", "The token is unknown, expired or revoked.",
                              headers=challenge)
            if scope not in row.scope.split():
                raise Problem(403, "insufficient_scope", f"This needs the scope {scope}.")
            wait = current_app.extensions["portal.api_rate"].take(row.client.client_id)
            if wait is not None:
                raise Problem(429, "rate_limited", f"Too many requests: try again in {wait} s.",
                              headers={"Retry-After": str(wait)})
            g.api_client = row.client
            g.organisation = row.client.organisation
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def current_organisation() -> Organisation:
    return g.organisation
