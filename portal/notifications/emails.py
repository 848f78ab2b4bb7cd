"""Writing a notification e-mail at send time, in the citizen's language.

The e-mail says only that there is something new from an organisation, and how to log in.
Never the subject or text of a letter, a name or a BSN (R6: the e-mail is a service; what the
post says is read after logging in).
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from flask import Flask, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.domain import notifications as rules
from portal.i18n import DEFAULT_LANGUAGE, LANGUAGES
from portal.models import EmailConfirmation, Notification, NotificationKind, Organisation
from portal.public_urls import public_url

TEMPLATES = {
    NotificationKind.NEW_LETTER: "emails/new_letter.txt",
    NotificationKind.CASE_CHANGE: "emails/case_change.txt",
    NotificationKind.UNREAD_REMINDER: "emails/unread_reminder.txt",
    NotificationKind.CONFIRM_ADDRESS: "emails/confirm_address.txt",
}


def _subject(kind: NotificationKind) -> str:
    if kind is NotificationKind.NEW_LETTER:
        return _("U heeft nieuwe post in uw Berichtenbox")
    if kind is NotificationKind.CASE_CHANGE:
        return _("Er is nieuws over uw zaak")
    if kind is NotificationKind.UNREAD_REMINDER:
        return _("Herinnering: er is post die u nog niet heeft gelezen")
    return _("Bevestig uw e-mailadres voor Burgerportaal")


def subject_in(kind: NotificationKind, language: str) -> str:
    """The subject line of this kind of e-mail, in ``language`` (the practice mail list)."""
    with force_locale(language if language in LANGUAGES else DEFAULT_LANGUAGE):
        return _subject(kind)


def compose(
    app: Flask,
    session: Session,
    notification: Notification,
    recipient: rules.Recipient,
    now: datetime,
) -> EmailMessage:
    """The e-mail for one outbox row, addressed to ``recipient``."""
    language = recipient.language if recipient.language in LANGUAGES else DEFAULT_LANGUAGE
    context: dict[str, object] = {
        "base_url": app.config["BASE_URL"],
        "settings_url": public_url(app, "settings.email"),
        "organisation": None,
    }
    if notification.organisation_id is not None:
        organisation = session.get(Organisation, notification.organisation_id)
        context["organisation"] = organisation.name if organisation else None
    if notification.kind is NotificationKind.CONFIRM_ADDRESS:
        confirmation = session.get(EmailConfirmation, notification.confirmation_id)
        assert confirmation is not None  # recipient_for checked it
        key = app.config["SECRET_KEY"]
        token = rules.confirmation_token(key if isinstance(key, bytes) else str(key).encode(),
                                         confirmation)
        context["confirm_url"] = public_url(app, "settings.email_confirm_page", token=token)
        context["valid_hours"] = rules.CONFIRMATION_VALID_HOURS
    with app.app_context(), force_locale(language):
        subject = _subject(notification.kind)
        body = render_template(TEMPLATES[notification.kind], **context)
    message = EmailMessage()
    # set_content first: it replaces every Content-* header set before it.
    message.set_content(body.strip() + "\n")
    message["Content-Language"] = language
    message["Subject"] = subject
    message["From"] = app.config["SMTP_FROM"]
    message["To"] = recipient.address
    message["Date"] = format_datetime(now)
    domain = urlsplit(app.config["BASE_URL"]).hostname or "localhost"
    message["Message-ID"] = make_msgid(idstring=f"notification-{notification.id}", domain=domain)
    # Automatic mail: no out-of-office replies, please (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    message["X-Portal-Notification"] = str(notification.id)
    return message
