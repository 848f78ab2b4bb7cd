from __future__ import annotations

import uuid

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

from portal import login_sessions
from portal.auth import bp, oidc
from portal.mandates import visits
from portal.db import get_session
from portal.domain import mandates
from portal.domain.accounts import account_for_bsn
from portal.domain.bsn import is_valid_bsn
from portal.domain.eligibility import Refusal
from portal.local_paths import is_local_path
from portal.models import LoginSession
from portal.practice import browser as practice_browser
from portal.timeutil import utcnow

REFUSAL_KEY = "refusal"


@bp.get("/inloggen")
def login() -> Response | tuple[str, int]:
    """Send the visitor to DigiD."""
    try:
        return redirect(oidc.start_login(ui_locales=str(get_locale())))
    except oidc.ProviderDown as error:
        return provider_down(error)


def provider_down(error: oidc.ProviderDown) -> tuple[str, int]:
    """The kind page for a provider that is down, slow or misconfigured; the cause is logged
    for the operator."""
    current_app.logger.warning("Login provider unusable: %s", error)
    return render_template("views/auth/provider_down.html"), 503


@bp.get("/inloggen/terug")
def callback() -> Response | tuple[str, int]:
    """DigiD sends the visitor back here with a code (or an error)."""
    if request.args.get("error"):
        # Cancelled at DigiD: back to the start page, nothing went wrong.
        oidc.drop_pending(request.args.get("state"))
        if visits.has_pending():
            visits.drop_pending()
            return redirect(url_for("helpdesk.index"))
        return redirect(url_for("start.index"))
    try:
        login = oidc.finish_login(request.args.to_dict(flat=True))
    except oidc.ProviderDown as error:
        return provider_down(error)
    except oidc.LoginFailed as error:
        # A bad state, a refused code, an ID token that fails its checks or a provider that
        # does not give the BSN claim: no login. The reason holds no personal data.
        current_app.logger.warning("Login failed: %s", error.reason)
        return render_template("views/auth/login_failed.html"), 400
    bsn = login.bsn
    if visits.has_pending():
        # A citizen agreed to an assisted visit at a help desk: the staff stays logged in.
        return visits.finish_after_login(bsn, login.nonce)
    if not is_valid_bsn(bsn):
        session[REFUSAL_KEY] = Refusal.INVALID_BSN.value
        return redirect(url_for("auth.refused"))
    db = get_session()
    outcome = account_for_bsn(db, bsn, utcnow().date(), world=practice_browser.current_world())
    if outcome.account is None:
        db.rollback()
        session[REFUSAL_KEY] = (outcome.refusal or Refusal.NOT_REGISTERED).value
        return redirect(url_for("auth.refused"))
    row = login_sessions.start(outcome.account)
    acted_for = session.pop(login_sessions.RETURN_ACTING_KEY, None)
    if mandates.active_held(db, outcome.account.id, utcnow()) and not _act_again(row, acted_for):
        # Someone who may act for others first chooses for whom (a fresh login acts for
        # themselves, so a page of someone else's box would not be theirs to return to).
        session.pop("return_to", None)
        return redirect(url_for("mandates.choose"))
    return redirect(_return_target())


def _act_again(row: LoginSession, acted_for: str | None) -> bool:
    """Back after a timeout: act again for whom the person acted before, if that still
    holds for this account (it is checked again like any choice)."""
    if acted_for is None or not session.get("return_to"):
        return False
    if acted_for == "self":
        return True
    try:
        mandate_id = uuid.UUID(acted_for)
    except ValueError:
        return False
    db = get_session()
    mandate = mandates.find_active_held(db, row.account_id, mandate_id, utcnow())
    if mandate is None:
        return False
    login_sessions.set_acting(row, mandate.id)
    db.commit()
    return True


def _return_target() -> str:
    target = session.pop("return_to", None)
    return target if is_local_path(target) else url_for("messages.inbox")


@bp.post("/uitloggen")
def logout() -> Response:
    login_sessions.end()
    return redirect(oidc.logout_url() or url_for("auth.logged_out"))


@bp.post("/sessie/verlengen")
def keep_alive() -> Response:
    """"Ingelogd blijven" in the timeout dialog. Loading the login (``portal.security``)
    already reset the idle time; there is nothing else to do."""
    return Response(status=204, mimetype="text/plain")  # no content; not a page


@bp.get("/uitgelogd")
def logged_out() -> str:
    reason = request.args.get("reden")
    return render_template(
        "views/auth/logged_out.html",
        timed_out=reason == "tijd",
        too_long=reason == "lang",
        at_provider=oidc.logged_out_at_provider(request.args.get("state")),
    )


@bp.get("/geen-account")
def refused() -> Response | str:
    reason = session.get(REFUSAL_KEY)
    if reason not in {r.value for r in Refusal}:
        return redirect(url_for("start.index"))
    return render_template("views/auth/refused.html", reason=Refusal(reason))


@bp.get("/inloggen/europees")
def eidas() -> Response | str:
    """The alternative login (R11). Not every installation has it."""
    url = current_app.config.get("EIDAS_LOGIN_URL")
    if url:
        return redirect(url)
    return render_template("views/auth/eidas_unavailable.html")
