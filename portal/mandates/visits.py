"""Assisted sessions at a help desk: one visit, ended by the staff or after 60 minutes.

The flow: the staff member chooses scopes on /balie; the citizen reads what that means on
the screen and agrees; the pending visit waits in the staff's browser session while the
citizen logs in with their own DigiD (``prompt=login``); the login callback then comes here
(``finish_after_login``) instead of logging the citizen in. The staff member stays logged in
as themselves and acts for the citizen under an ASSISTED mandate. Rules: ``portal.domain.visits``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from portal import login_sessions, policy
from portal.db import get_session
from portal.domain import mandates
from portal.domain import visits as rules
from portal.domain.accounts import account_for_bsn
from portal.domain.worlds import world_of
from portal.domain.bsn import is_valid_bsn
from portal.domain.visits import PendingVisit, VisitRefusal
from portal.mandates import notices
from portal.models import EndReason, Mandate, MandateKind
from portal.policy import Scope
from portal.timeutil import as_utc, utcnow

# Where the pending visit waits in the (signed) Flask session. It holds no personal data.
PENDING_KEY = "pending_visit"


def end_visit_if_assisted(db: Session, mandate_id: uuid.UUID, staff_id: int, now: datetime) -> None:
    """Stopping to act for someone at a help desk ends the visit: the mandate is not reused."""
    mandate = db.get(Mandate, mandate_id)
    if mandate is None or mandate.kind is not MandateKind.ASSISTED or mandate.helper_id != staff_id:
        return
    if mandates.end(db, mandate, by_id=staff_id, reason=EndReason.VISIT_ENDED, now=now):
        notices.ended(db, mandate, now)


def store_pending(staff_id: int, scopes: tuple[Scope, ...]) -> PendingVisit:
    """Keep what the citizen agreed to until they have logged in (CONSENT_MINUTES at most)."""
    pending = rules.new_pending(staff_id, scopes, utcnow())
    session[PENDING_KEY] = pending.to_dict()
    return pending


def has_pending() -> bool:
    return PENDING_KEY in session


def drop_pending() -> None:
    session.pop(PENDING_KEY, None)


def finish_after_login(bsn: str, token_nonce: object) -> Response | tuple[str, int]:
    """The citizen logged in at the counter: start the visit, or say why it cannot start.
    Never logs the citizen in, and never logs the staff member out."""
    pending = PendingVisit.from_dict(session.pop(PENDING_KEY, None))
    db = get_session()
    now = utcnow()
    staff_account = g.get("account")
    if pending is None or pending.lapsed(now) or token_nonce != pending.nonce:
        return _not_started(VisitRefusal.EXPIRED)
    if staff_account is None or staff_account.id != pending.staff_id:
        return _not_started(VisitRefusal.NOT_STAFF)
    staff = rules.staff_row(db, staff_account.id)
    if staff is None:
        return _not_started(VisitRefusal.NOT_STAFF)
    today = as_utc(now).astimezone(mandates.LOCAL_TIME).date()
    outcome = account_for_bsn(db, bsn, today, world=world_of(staff_account)) if is_valid_bsn(bsn) else None
    if outcome is None or outcome.account is None:
        db.rollback()
        return _not_started(VisitRefusal.NO_ACCOUNT)
    citizen = outcome.account
    if citizen.id == staff.account_id:
        db.rollback()
        return _not_started(VisitRefusal.SAME_PERSON)
    row = g.login_session
    if row.acting_mandate_id is not None:
        end_visit_if_assisted(db, row.acting_mandate_id, staff.account_id, now)
    mandate = rules.start(db, staff=staff, citizen=citizen, scopes=pending.scopes, now=now)
    notices.given(db, mandate, now)
    login_sessions.set_acting(row, mandate.id)
    db.commit()
    flash(_("U helpt nu %(name)s.", name=citizen.person.full_name), "success")
    return redirect(url_for(policy.first_endpoint(policy.grant_for_mandate(mandate))))


def _not_started(reason: VisitRefusal) -> tuple[str, int]:
    status = 403 if reason is VisitRefusal.NOT_STAFF else 400
    return render_template("views/helpdesk/not_started.html", reason=reason.value), status
