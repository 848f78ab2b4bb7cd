"""Settings: an e-mail at new post or news in a case (R6). The address, its confirmation
link, and the citizen's wishes (e-mail on or off, the 3-week reminder).

The link in the e-mail opens a page that asks to confirm with a button (a POST with a CSRF
token), so a mail scanner that opens the link confirms nothing. Addresses never go in a URL
or a log line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import acting
from portal.db import get_session
from portal.domain import notifications as rules
from portal.forms import ButtonForm
from portal.settings import bp
from portal.settings.forms import NOTIFY_OFF, NOTIFY_ON, EmailAddressForm, EmailPreferencesForm
from portal.timeutil import utcnow

# What the confirmation link's token can look like (base64url); anything else is a 404.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,100}")


@dataclass(frozen=True)
class EmailSummary:
    """What the settings page says about e-mail, in one line."""

    address: str | None
    notify: bool
    waiting: bool


def secret() -> bytes:
    key = current_app.config["SECRET_KEY"]
    return key if isinstance(key, bytes) else str(key).encode()


def _error_text(rule: rules.AddressRule) -> str:
    if rule is rules.AddressRule.MISSING:
        return _("Vul uw e-mailadres in.")
    if rule is rules.AddressRule.TOO_LONG:
        return _("Dit e-mailadres is te lang. Het mag niet meer dan %(max)d tekens hebben.",
                 max=rules.MAX_ADDRESS_LENGTH)
    if rule is rules.AddressRule.TOO_MANY_LINKS:
        return _("U vroeg vandaag al %(max)d keer een link aan. Probeer het morgen opnieuw.",
                 max=rules.MAX_CONFIRMATIONS_PER_DAY)
    return _("Vul een e-mailadres in zoals naam@voorbeeld.nl.")


@bp.context_processor
def _email_summary() -> dict[str, object]:
    def email_summary() -> EmailSummary:
        box = acting.current().box_account_id
        db = get_session()
        settings = rules.settings_for(db, box)
        waiting = rules.pending_confirmation(db, box, utcnow()) is not None
        if settings is None or settings.confirmed_at is None:
            return EmailSummary(None, False, waiting)
        return EmailSummary(settings.email_address, settings.notify, waiting)

    return {"email_summary": email_summary}


@bp.get("/instellingen/e-mail")
def email() -> str:
    box = acting.current().box_account_id
    db = get_session()
    settings = rules.settings_for(db, box)
    confirmed = settings if settings is not None and settings.confirmed_at is not None else None
    preferences = EmailPreferencesForm(
        reminder_weeks=rules.UNREAD_REMINDER_DAYS // 7,
        data={"melding": NOTIFY_ON if confirmed is None or confirmed.notify else NOTIFY_OFF,
              "herinnering": confirmed is not None and confirmed.remind_unread},
    )
    return render_template(
        "views/settings/email.html",
        confirmed=confirmed,
        preferences=preferences,
        pending=rules.pending_confirmation(db, box, utcnow()),
        valid_hours=rules.CONFIRMATION_VALID_HOURS,
    )


@bp.get("/instellingen/e-mail/adres")
def email_address_form() -> str:
    box = acting.current().box_account_id
    db = get_session()
    pending = rules.pending_confirmation(db, box, utcnow())
    settings = rules.settings_for(db, box)
    value = pending.email_address if pending else (settings.email_address if settings else None)
    form = EmailAddressForm(data={"email": value or ""})
    return render_template("views/settings/email_address.html", form=form)


@bp.post("/instellingen/e-mail/adres")
def save_email_address() -> Response | str:
    box = acting.current().box_account_id
    form = EmailAddressForm()
    form.validate()
    db = get_session()
    try:
        rules.request_confirmation(
            db, box, form.email.data or "", now=utcnow(), secret=secret(), language=str(get_locale() or "nl")
        )
    except rules.AddressError as error:
        db.rollback()
        form.refuse(form.email, _error_text(error.rule))
        return render_template("views/settings/email_address.html", form=form)
    db.commit()
    flash(_("We sturen nu een e-mail naar het adres dat u gaf. Open die e-mail en klik op de "
            "link. Dan is uw e-mailadres bevestigd."), "success")
    return redirect(url_for("settings.email"))


@bp.post("/instellingen/e-mail/voorkeuren")
def save_email_preferences() -> Response:
    form = EmailPreferencesForm(reminder_weeks=rules.UNREAD_REMINDER_DAYS // 7)
    if not form.validate() or form.melding.data not in {NOTIFY_ON, NOTIFY_OFF}:
        abort(400)
    db = get_session()
    rules.save_preferences(
        db,
        acting.current().box_account_id,
        notify=form.melding.data == NOTIFY_ON,
        remind_unread=bool(form.herinnering.data),
        now=utcnow(),
    )
    db.commit()
    flash(_("Uw keuze is opgeslagen."), "success")
    return redirect(url_for("settings.email"))


@bp.post("/instellingen/e-mail/verwijderen")
def remove_email_address() -> Response:
    db = get_session()
    rules.remove_address(db, acting.current().box_account_id, utcnow())
    db.commit()
    flash(_("Uw e-mailadres is verwijderd. U krijgt geen e-mail meer van ons."), "success")
    return redirect(url_for("settings.email"))


def _check(token: str) -> rules.ConfirmationCheck:
    if not TOKEN_PATTERN.fullmatch(token):
        abort(404)
    check = rules.check_confirmation(get_session(), acting.current().box_account_id, token, utcnow())
    if check.state is rules.ConfirmationState.UNKNOWN:
        # Someone else's link, or none at all: its existence is not revealed.
        abort(404)
    return check


@bp.get("/instellingen/e-mail/bevestigen/<token>")
def email_confirm_page(token: str) -> str:
    """Asks to confirm with a button: opening the link alone changes nothing."""
    check = _check(token)
    return _confirm_page(check, token)


def _confirm_page(check: rules.ConfirmationCheck, token: str) -> str:
    return render_template(
        "views/settings/email_confirm.html",
        check=check,
        token=token,
        form=ButtonForm(),
        states=rules.ConfirmationState,
        valid_hours=rules.CONFIRMATION_VALID_HOURS,
    )


@bp.post("/instellingen/e-mail/bevestigen/<token>")
def confirm_email_address(token: str) -> Response | str:
    _check(token)
    db = get_session()
    check = rules.confirm_address(db, acting.current().box_account_id, token, utcnow())
    if check.state is not rules.ConfirmationState.VALID:
        db.rollback()
        return _confirm_page(check, token)
    db.commit()
    settings = rules.settings_for(db, acting.current().box_account_id)
    if settings is not None and settings.notify:
        flash(_("Uw e-mailadres is bevestigd. U krijgt nu een e-mail als er nieuwe post voor u is."),
              "success")
    else:
        # The citizen switched e-mail off earlier: a new address does not overrule that.
        flash(_("Uw e-mailadres is bevestigd. De e-mail staat nog uit. U kunt hem hieronder aanzetten."),
              "success")
    return redirect(url_for("settings.email"))
