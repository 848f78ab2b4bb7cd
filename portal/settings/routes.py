from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import acting
from portal.db import get_session
from portal.domain import subscriptions
from portal.i18n import LANGUAGES, SESSION_KEY
from portal.settings import bp

ORGANISATION_FIELD = "organisatie"


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
    target = request.form.get("terug", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("start.index")
    return redirect(target)
