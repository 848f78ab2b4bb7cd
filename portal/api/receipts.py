"""Signing delivery confirmations (JWS, RS256) with the portal's own key, published as JWKS."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from joserfc import jws
from joserfc.jwk import RSAKey

from portal.domain.delivery import Signer
from portal.signing_keys import load_or_create_signing_key, public_jwks

KEY_FILENAME = "delivery-receipt-signing-key.pem"


def signing_key() -> RSAKey:
    return load_or_create_signing_key(current_app.instance_path, KEY_FILENAME)


def signer() -> Signer:
    key = signing_key()

    def sign(payload: dict[str, Any]) -> str:
        data = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        return jws.serialize_compact({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, data, key)

    return sign


def jwks() -> dict[str, Any]:
    return public_jwks(signing_key())
