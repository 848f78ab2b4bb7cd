"""Where e-mails go: ``.eml`` files in a folder (default), or an SMTP server.

A backend opens one connection for a batch and hands out a ``send`` function. It raises
``MailUnavailable`` when it cannot be reached at all (the whole batch waits and retries),
``MailRejected`` when the server refuses one message for good, and anything else for a
temporary problem with one message. Error texts never include the address.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

from portal.config import is_practice
from portal.timeutil import utcnow

Send = Callable[[EmailMessage], None]


class MailUnavailable(Exception):
    """The mail server or folder cannot be reached: try the whole batch later."""


class MailRejected(Exception):
    """Refused for good (a 5xx answer): retrying will not help."""


class MailBackend(Protocol):
    def connection(self) -> Any:
        """A context manager that yields a ``send(message)`` function."""


def error_code(error: BaseException) -> str:
    """A short description for the outbox row: the class name and SMTP code, nothing more
    (server messages can repeat the address)."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({c for c, _msg in error.recipients.values()})
        code = ",".join(str(c) for c in codes)
    name = type(error).__name__
    if isinstance(error, (MailUnavailable, MailRejected)) and error.__cause__ is not None:
        name = f"{name}({error_code(error.__cause__)})"
    return f"{name} {code}" if code else name


@dataclass(frozen=True)
class FileBackend:
    """Writes each message as ``<folder>/<time>-<id>.eml``. For development, demos and tests."""

    folder: str

    @contextmanager
    def connection(self) -> Iterator[Send]:
        try:
            os.makedirs(self.folder, exist_ok=True)
        except OSError as error:
            raise MailUnavailable("mail folder not writable") from error
        yield self._write

    def _write(self, message: EmailMessage) -> None:
        notification_id = message.get("X-Portal-Notification", "0")
        name = f"{utcnow():%Y%m%dT%H%M%S%fZ}-{notification_id}.eml"
        # Written whole, then renamed: a reader never sees half a message.
        fd, partial = tempfile.mkstemp(dir=self.folder, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes())
            os.replace(partial, os.path.join(self.folder, name))
        except BaseException:
            if os.path.exists(partial):
                os.unlink(partial)
            raise


@dataclass(frozen=True)
class SmtpBackend:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout: float = 20.0
    tls: bool = False  # TLS from the first byte (SMTPS, usually port 465) instead of STARTTLS

    def _connect(self) -> smtplib.SMTP:
        if self.tls:
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)

    @contextmanager
    def connection(self) -> Iterator[Send]:
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as error:
            raise MailUnavailable("cannot connect") from error
        try:
            try:
                if self.starttls and not self.tls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
            except (OSError, smtplib.SMTPException) as error:
                raise MailUnavailable("cannot start a session") from error
            yield lambda message: self._send(smtp, message)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    @staticmethod
    def _send(smtp: smtplib.SMTP, message: EmailMessage) -> None:
        try:
            smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            if all(code >= 500 for code, _msg in error.recipients.values()):
                raise MailRejected("recipient refused") from error
            raise
        except smtplib.SMTPResponseException as error:
            if error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPSenderRefused):
                raise MailRejected("message refused") from error
            raise
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            raise MailUnavailable("connection lost") from error


def backend_from_config(config: Any) -> FileBackend | SmtpBackend:
    """SMTP when ``SMTP_HOST`` is set, else files in ``MAIL_DIR``."""
    if config.get("SMTP_HOST"):
        if is_practice(config):
            # The config check refuses this at start-up; a second lock, as learners' mail is not real.
            raise RuntimeError("Practice mode sends no real e-mail: unset PORTAL_SMTP_HOST.")
        return SmtpBackend(
            host=config["SMTP_HOST"],
            port=int(config["SMTP_PORT"]),
            username=config.get("SMTP_USERNAME"),
            password=config.get("SMTP_PASSWORD"),
            starttls=bool(config.get("SMTP_STARTTLS", True)),
            timeout=float(config["SMTP_TIMEOUT"]),
            tls=bool(config.get("SMTP_TLS", False)),
        )
    return FileBackend(config["MAIL_DIR"])
