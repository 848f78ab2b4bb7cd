from __future__ import annotations

import uuid

from authlib.common.errors import AuthlibBaseError
from joserfc.errors import JoseError
from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from requests import RequestException
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
from portal.timeutil import utcnow

REFUSAL_KEY = "refusal"


@bp.get("/inloggen")
def login() -> Response | str:
    """Send the visitor to DigiD."""
    try:
        return oidc.client().authorize_redirect(
            current_app.config["OIDC_REDIRECT_URI"],
            nonce=oidc.new_nonce(),
            state=oidc.new_state(),
            ui_locales=str(get_locale()),
        )
    except (RequestException, ValueError):
        current_app.logger.warning("Login provider unreachable")
        return render_template("views/auth/provider_down.html"), 503


@bp.get("/inloggen/terug")
def callback() -> Response | tuple[str, int]:
    """DigiD sends the visitor back here with a code (or an error)."""
    if request.args.get("error"):
        # Cancelled at DigiD: back to the start page, nothing went wrong.
        if visits.has_pending():
            visits.drop_pending()
            return redirect(url_for("helpdesk.index"))
        return redirect(url_for("start.index"))
    try:
        token = oidc.client().authorize_access_token()
    except (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError) as error:
        # A bad state, a refused code, or an ID token that fails its checks: no login.
        current_app.logger.warning("Login failed: %s", type(error).__name__)
        return render_template("views/auth/login_failed.html"), 400
    claims = token.get("userinfo") or {}
    bsn = str(claims.get(current_app.config["OIDC_BSN_CLAIM"], ""))
    if visits.has_pending():
        # A citizen agreed to an assisted visit at a help desk: the staff stays logged in.
        return visits.finish_after_login(bsn, claims.get("nonce"))
    if not is_valid_bsn(bsn):
        session[REFUSAL_KEY] = Refusal.INVALID_BSN.value
        return redirect(url_for("auth.refused"))
    db = get_session()
    outcome = account_for_bsn(db, bsn, utcnow().date())
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
    provider_logout = oidc.logout_url(current_app.config["BASE_URL"] + url_for("auth.logged_out"))
    return redirect(provider_logout or url_for("auth.logged_out"))


@bp.post("/sessie/verlengen")
def keep_alive() -> Response:
    """"Ingelogd blijven" in the timeout dialog. Loading the login (``portal.security``)
    already reset the idle time; there is nothing else to do."""
    return Response(status=204, mimetype="text/plain")  # no content; not a page


@bp.get("/uitgelogd")
def logged_out() -> str:
    timed_out = request.args.get("reden") == "tijd"
    return render_template("views/auth/logged_out.html", timed_out=timed_out)


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
