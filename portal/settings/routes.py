from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import acting
from portal.local_paths import is_local_path
from portal.db import get_session
from portal.domain import subscriptions
from portal.forms import digits
from portal.i18n import LANGUAGES, SESSION_KEY
from portal.settings import bp
from portal.settings.forms import NORMAL_TEXT, LanguageForm, SubscriptionsForm, TextSizeForm
from portal.templating import LARGE_TEXT, TEXT_SIZE_KEY


@bp.get("/instellingen")
def index() -> str:
    box = acting.current().box_account_id
    form = SubscriptionsForm(subscriptions.choices(get_session(), box))
    return render_template("views/settings/index.html", form=form)


@bp.post("/instellingen/organisaties")
def save_subscriptions() -> Response:
    box = acting.current().box_account_id
    form = SubscriptionsForm([])
    form.validate()
    db = get_session()
    subscriptions.set_subscriptions(db, box, sorted(digits(form.organisatie.data)))
    db.commit()
    flash(_("Uw keuze is opgeslagen."), "success")
    return redirect(url_for("settings.index"))


@bp.post("/taal")
def language() -> Response:
    """Choose the language. Works without JavaScript; the choice stays for this browser."""
    form = LanguageForm()
    if form.validate() and form.taal.data in LANGUAGES:
        session[SESSION_KEY] = form.taal.data
    return redirect(_return_target(form.terug.data))


@bp.post("/instellingen/tekstgrootte")
def text_size() -> Response:
    """Larger text and spacing on or off. Works without JavaScript; stays for this browser."""
    form = TextSizeForm()
    form.validate()
    if form.tekst.data == LARGE_TEXT:
        session[TEXT_SIZE_KEY] = LARGE_TEXT
    elif form.tekst.data == NORMAL_TEXT:
        session.pop(TEXT_SIZE_KEY, None)
    return redirect(_return_target(form.terug.data))


def _return_target(target: str | None) -> str:
    """The page the form was on; only a path on this site (never //host or /\\host)."""
    return target if target and is_local_path(target) else url_for("start.index")
