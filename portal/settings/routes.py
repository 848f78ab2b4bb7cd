from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import acting
from portal.local_paths import is_local_path
from portal.db import get_session
from portal.domain import subscriptions
from portal.i18n import LANGUAGES, SESSION_KEY
from portal.settings import bp
from portal.templating import LARGE_TEXT, TEXT_SIZE_KEY

ORGANISATION_FIELD = "organisatie"
RETURN_FIELD = "terug"
# "Grotere tekst" (portal/templating.py reads it). Only these values are stored; anything
# else is ignored.
TEXT_SIZE_FIELD = "tekst"
NORMAL_TEXT = "gewoon"


@bp.get("/instellingen")
def index() -> str:
    box = acting.current().box_account_id
    return render_template(
        "views/settings/index.html", choices=subscriptions.choices(get_session(), box)
    )


@bp.post("/instellingen/organisaties")
def save_subscriptions() -> Response:
    box = acting.current().box_account_id
    chosen = [int(v) for v in request.form.getlist(ORGANISATION_FIELD) if v.isdigit() and len(v) < 10]
    db = get_session()
    subscriptions.set_subscriptions(db, box, chosen)
    db.commit()
    flash(_("Uw keuze is opgeslagen."), "success")
    return redirect(url_for("settings.index"))


@bp.post("/taal")
def language() -> Response:
    """Choose the language. Works without JavaScript; the choice stays for this browser."""
    code = request.form.get("taal", "")
    if code in LANGUAGES:
        session[SESSION_KEY] = code
    return redirect(_return_target())


@bp.post("/instellingen/tekstgrootte")
def text_size() -> Response:
    """Larger text and spacing on or off. Works without JavaScript; stays for this browser."""
    size = request.form.get(TEXT_SIZE_FIELD, "")
    if size == LARGE_TEXT:
        session[TEXT_SIZE_KEY] = LARGE_TEXT
    elif size == NORMAL_TEXT:
        session.pop(TEXT_SIZE_KEY, None)
    return redirect(_return_target())


def _return_target() -> str:
    """The page the form was on; only a path on this site (never //host or /\\host)."""
    target = request.form.get(RETURN_FIELD, "")
    return target if is_local_path(target) else url_for("start.index")
