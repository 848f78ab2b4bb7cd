"""RS256 signing keys: RSA 2048 in PEM files in the portal's instance folder.

Used by the practice DigiD (ID tokens) and by the delivery API (delivery confirmations).
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile

from joserfc.jwk import RSAKey

KEY_BITS = 2048
ALGORITHM = "RS256"

log = logging.getLogger(__name__)

_loaded: dict[str, tuple[bytes, RSAKey]] = {}


def load_or_create_signing_key(instance_path: str, filename: str) -> RSAKey:
    """The private signing key, with ``kid`` (RFC 7638 thumbprint), ``use`` and ``alg`` set.

    Created on first use with mode 0600. Several processes may start at once: the file
    is written aside and then hard-linked into place, so nobody reads half a key and
    every process ends up with the same one.
    """
    path = os.path.join(instance_path, filename)
    if not os.path.exists(path):
        _create_key_file(instance_path, path)
    _tighten_mode(path)
    with open(path, "rb") as handle:
        pem = handle.read()
    # Loading a PEM checks the RSA key, which is slow (~30 ms): once per process and file.
    cached = _loaded.get(path)
    if cached is not None and cached[0] == pem:
        return cached[1]
    loaded = RSAKey.import_key(pem)
    key = RSAKey.import_key(
        loaded.private_key, {"kid": loaded.thumbprint(), "use": "sig", "alg": ALGORITHM}
    )
    _loaded[path] = (pem, key)
    return key


def public_jwks(key: RSAKey) -> dict[str, list[dict[str, object]]]:
    return {"keys": [dict(key.as_dict(private=False))]}


def _create_key_file(instance_path: str, path: str) -> None:
    os.makedirs(instance_path, exist_ok=True)
    pem = RSAKey.generate_key(KEY_BITS, private=True).as_pem(private=True)
    # mkstemp creates the file with mode 0600.
    fd, temporary = tempfile.mkstemp(dir=instance_path, prefix=".signing-key-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return  # another process was first: use its key
        except OSError:
            # No hard links on this file system: create exclusively instead.
            try:
                out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return
            with os.fdopen(out, "wb") as handle:
                handle.write(pem)
        log.info("Created a signing key in %s", path)
    finally:
        os.unlink(temporary)


def _tighten_mode(path: str) -> None:
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode & 0o077:
        os.chmod(path, 0o600)
