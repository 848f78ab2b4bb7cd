"""The practice DigiD's ID-token signing key, in the portal's instance folder."""

from __future__ import annotations

from joserfc.jwk import RSAKey

from portal.signing_keys import load_or_create_signing_key as _load
from portal.signing_keys import public_jwks

KEY_FILENAME = "practice-digid-signing-key.pem"

__all__ = ["KEY_FILENAME", "load_or_create_signing_key", "public_jwks"]


def load_or_create_signing_key(instance_path: str) -> RSAKey:
    return _load(instance_path, KEY_FILENAME)
