"""The OpenID Connect machinery: one client, authorization code + PKCE (S256) + ID tokens.

Built on authlib's ``AuthorizationServer`` (flask_oauth2). Authorization codes live in
``practice_authorization_code``; access tokens are opaque and not stored (see
``_save_token``).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc6749 import InvalidScopeError, OAuth2Request, list_to_scope
from authlib.oauth2.rfc6749 import grants, scope_to_list
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, current_app, g
from joserfc.jwk import RSAKey
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.models.practice_digid import PracticeAuthorizationCode, PracticeLogin

CODE_LIFETIME_SECONDS = 60
ID_TOKEN_LIFETIME_SECONDS = 5 * 60
ACCESS_TOKEN_LIFETIME_SECONDS = 5 * 60
SCOPES_SUPPORTED = ("openid",)
CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")
SIGNING_ALGORITHM = "RS256"

EXTENSION_KEY = "practice_digid"
SESSIONMAKER_KEY = "practice_digid.sessionmaker"
SERVER_KEY = "practice_digid.server"


def now() -> int:
    """Seconds since the epoch. The one clock of this module (tests patch it)."""
    return int(time.time())


def derive_client_secret(secret_key: str) -> str:
    """A stable client secret for development, derived from the portal's SECRET_KEY."""
    return hmac.new(
        secret_key.encode(), b"oefen-digid client secret", hashlib.sha256
    ).hexdigest()


def subject_for(bsn: str, secret_key: str) -> str:
    """The ``sub`` claim: a keyed hash of the BSN, never the BSN itself."""
    return hmac.new(secret_key.encode(), bsn.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class PracticeClient(ClientMixin):
    """The one registered client: the portal's relying party."""

    client_id: str
    client_secret: str = field(repr=False)  # authlib logs the client with %r
    redirect_uri: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return ""
        return list_to_scope([s for s in scope_to_list(scope) if s in SCOPES_SUPPORTED])

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # Exact string match, no prefix or pattern matching.
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if endpoint == "token":
            return method in CLIENT_AUTH_METHODS
        return True

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass(frozen=True)
class ProviderSettings:
    issuer: str
    client: PracticeClient
    post_logout_redirect_uri: str
    portal_url: str
    secret_key: str = field(repr=False)
    signing_key: RSAKey = field(repr=False)

    @property
    def kid(self) -> str:
        kid = self.signing_key.kid
        if not kid:
            raise RuntimeError("The practice DigiD signing key has no kid.")
        return kid


def settings() -> ProviderSettings:
    return current_app.extensions[EXTENSION_KEY]


def server() -> AuthorizationServer:
    return current_app.extensions[SERVER_KEY]


def db_session() -> Session:
    """The database session of this provider request; closed at the end of the request."""
    if "practice_digid_db" not in g:
        g.practice_digid_db = current_app.extensions[SESSIONMAKER_KEY]()
    return g.practice_digid_db


def close_db_session(_exc: BaseException | None) -> None:
    session = g.pop("practice_digid_db", None)
    if session is not None:
        session.close()


class S256CodeChallenge(CodeChallenge):
    """PKCE, S256 only, and always: also for our (confidential) client.

    authlib's ``CodeChallenge(required=True)`` only forces PKCE on public clients and
    accepts "plain"; here a request without ``code_challenge``, or with any method
    but S256 (also a missing method, which would default to plain), is refused.
    """

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    CODE_CHALLENGE_METHODS = {"S256": CodeChallenge.CODE_CHALLENGE_METHODS["S256"]}

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': PKCE is required.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Unsupported 'code_challenge_method': use S256.")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        request: OAuth2Request = grant.request
        code = request.authorization_code
        if not code.code_challenge or code.code_challenge_method != "S256":
            raise InvalidGrantError("The code was issued without PKCE.")
        if not request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier'")
        super().validate_code_verifier(grant, result)


class PracticeAuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(CLIENT_AUTH_METHODS)

    def validate_authorization_request(self) -> str:
        redirect_uri = super().validate_authorization_request()
        # Without "openid" authlib would run plain OAuth (no nonce check, no ID token).
        if "openid" not in scope_to_list(self.request.scope or ""):
            raise InvalidScopeError(
                "The 'openid' scope is required.",
                redirect_uri=redirect_uri,
                state=self.request.payload.state,
            )
        return redirect_uri

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        db = db_session()
        # Every code follows a fresh login (there is no single sign-on here), so the
        # login time ``auth_time`` is also the moment the code was issued.
        moment = now()
        db.execute(
            delete(PracticeAuthorizationCode).where(
                PracticeAuthorizationCode.auth_time < moment - CODE_LIFETIME_SECONDS
            )
        )
        db.add(
            PracticeAuthorizationCode(
                code=code,
                client_id=request.client.get_client_id(),
                redirect_uri=request.payload.redirect_uri,
                response_type=request.payload.response_type,
                scope=request.scope,
                nonce=data.get("nonce"),
                auth_time=moment,
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                user_id=request.user.id,
            )
        )
        db.commit()

    def query_authorization_code(
        self, code: str, client: PracticeClient
    ) -> PracticeAuthorizationCode | None:
        db = db_session()
        item = db.scalar(
            select(PracticeAuthorizationCode).where(
                PracticeAuthorizationCode.code == code,
                PracticeAuthorizationCode.client_id == client.get_client_id(),
            )
        )
        if item is None:
            return None
        if item.auth_time + CODE_LIFETIME_SECONDS < now():
            db.delete(item)
            db.commit()
            return None
        return item

    def delete_authorization_code(self, authorization_code: PracticeAuthorizationCode) -> None:
        # Single use, also under a race: only the request that really deletes the row
        # gets a token.
        db = db_session()
        result = db.execute(
            delete(PracticeAuthorizationCode).where(
                PracticeAuthorizationCode.id == authorization_code.id
            )
        )
        db.commit()
        if result.rowcount != 1:
            raise InvalidGrantError("Invalid 'code' in request.")

    def authenticate_user(self, authorization_code: PracticeAuthorizationCode) -> PracticeLogin:
        return db_session().get(PracticeLogin, authorization_code.user_id)


class PracticeOpenIDCode(OpenIDCode):
    """ID tokens: RS256 with our ``kid``, 5 minutes, ``sub`` = HMAC of the BSN, plus ``bsn``."""

    def resolve_client_private_key(self, client: PracticeClient) -> RSAKey:
        return settings().signing_key

    def get_client_algorithm(self, client: PracticeClient) -> str:
        return SIGNING_ALGORITHM

    def get_encode_header(self, client: PracticeClient) -> dict[str, str]:
        return {"alg": SIGNING_ALGORITHM, "kid": settings().kid}

    def get_client_claims(self, client: PracticeClient) -> dict[str, Any]:
        issued = now()
        return {
            "iss": settings().issuer,
            "aud": client.get_client_id(),
            "iat": issued,
            "exp": issued + ID_TOKEN_LIFETIME_SECONDS,
        }

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        found = db_session().scalar(
            select(PracticeAuthorizationCode.id).where(
                PracticeAuthorizationCode.client_id == request.payload.client_id,
                PracticeAuthorizationCode.nonce == nonce,
            )
        )
        return found is not None

    def generate_user_info(self, user: PracticeLogin, scope: str) -> dict[str, str]:
        return {"sub": subject_for(user.bsn, settings().secret_key), "bsn": user.bsn}


def _query_client(client_id: str) -> PracticeClient | None:
    client = settings().client
    if client_id and hmac.compare_digest(client_id.encode(), client.client_id.encode()):
        return client
    return None


def _save_token(token: dict[str, Any], request: OAuth2Request) -> None:
    """Access tokens are not stored.

    The practice DigiD has no userinfo endpoint or other protected resource: everything
    the portal needs is in the ID token. The access token is an opaque random string
    that nothing accepts, so there is nothing to look up later.
    """


def init_server(app: Flask) -> AuthorizationServer:
    app.config.setdefault("OAUTH2_SCOPES_SUPPORTED", list(SCOPES_SUPPORTED))
    app.config.setdefault("OAUTH2_REFRESH_TOKEN_GENERATOR", False)
    app.config.setdefault(
        "OAUTH2_TOKEN_EXPIRES_IN", {"authorization_code": ACCESS_TOKEN_LIFETIME_SECONDS}
    )
    authorization_server = AuthorizationServer(app, _query_client, _save_token)
    authorization_server.register_grant(
        PracticeAuthorizationCodeGrant,
        [S256CodeChallenge(required=True), PracticeOpenIDCode(require_nonce=True)],
    )
    app.extensions[SERVER_KEY] = authorization_server
    app.teardown_appcontext(close_db_session)
    return authorization_server

