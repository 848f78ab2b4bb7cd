"""SMTP with TLS from the first byte (PORTAL_SMTP_TLS, SMTPS on port 465), against a local
aiosmtpd server with a certificate made for the test (issue 16, item 7)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from portal.notifications import backends
from portal.notifications.backends import MailUnavailable, SmtpBackend, backend_from_config
from tests.notifications.test_smtp import Inbox, free_port


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1)).not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class TlsInbox(Inbox):
    def __init__(self) -> None:
        super().__init__()
        self.encrypted: list[bool] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.encrypted.append(server.transport.get_extra_info("ssl_object") is not None)
        return await super().handle_DATA(server, session, envelope)


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "noreply@burgerportaal.example", "joke@example.nl", "Test"
    mail.set_content("Test")
    return mail


def test_smtp_tls_sends_over_tls_from_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = self_signed(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    inbox, port = TlsInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=server_context)
    controller.start()
    # The backend checks certificates as always; here it trusts the test's own.
    default_context = ssl.create_default_context
    monkeypatch.setattr(backends.ssl, "create_default_context", lambda: default_context(cafile=str(cert)))
    try:
        backend = backend_from_config({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_TIMEOUT": 5,
                                       "SMTP_TLS": True})
        assert backend == SmtpBackend(host="127.0.0.1", port=port, timeout=5, tls=True)
        with backend.connection() as send:
            send(message())
        assert inbox.encrypted == [True]
        assert [m["To"] for m in inbox.messages] == ["joke@example.nl"]
        # A plain connection to the same port does not get through.
        with pytest.raises(MailUnavailable):
            with SmtpBackend(host="127.0.0.1", port=port, timeout=0.5, starttls=False).connection() as send:
                send(message())
    finally:
        controller.stop()
