"""Choosing for whom to act, and stopping."""

from __future__ import annotations

import uuid

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import acting, login_sessions, policy
from portal.db import get_session
from portal.domain import mandates
from portal.mandates import bp
from portal.mandates.forms import FOR_MYSELF, ChooseForm
from portal.mandates.visits import end_visit_if_assisted
from portal.models import Mandate, MandateKind
from portal.timeutil import utcnow


@bp.get("/handelen-voor")
def choose() -> str:
    held = mandates.active_held(get_session(), acting.current().actor.id, utcnow())
    return render_template("views/mandates/choose.html", held=held, form=_shown(held))


def _shown(held: list[Mandate]) -> ChooseForm:
    """The form with the current choice checked (not what was sent)."""
    current = acting.current()
    chosen = FOR_MYSELF if current.for_self else (str(current.mandate.id) if current.mandate else None)
    return ChooseForm(held, formdata=None, data={"voor": chosen})


@bp.post("/handelen-voor")
def act_for() -> Response | tuple[str, int]:
    db = get_session()
    actor = acting.current().actor
    form = ChooseForm([])
    form.validate()
    choice = form.voor.data or ""
    if choice == FOR_MYSELF:
        _stop(db)
        db.commit()
        flash(_("U doet nu dingen voor uzelf."), "success")
        return redirect(url_for("messages.inbox"))
    try:
        mandate_id = uuid.UUID(choice)
    except ValueError:
        mandate_id = None
    mandate = mandates.find_active_held(db, actor.id, mandate_id, utcnow()) if mandate_id else None
    if mandate is None:
        held = mandates.active_held(db, actor.id, utcnow())
        form = _shown(held)
        form.refuse_choice()
        return render_template("views/mandates/choose.html", held=held, form=form), 400
    _stop(db)
    login_sessions.set_acting(g.login_session, mandate.id)
    db.commit()
    flash(_("U doet nu dingen voor %(name)s.", name=mandate.giver.person.full_name), "success")
    return redirect(url_for(policy.first_endpoint(policy.grant_for_mandate(mandate))))


@bp.post("/handelen-voor/stoppen")
def stop_acting() -> Response:
    """Stop acting for someone: back in one's own Berichtenbox, saying for whom one stopped
    (staff ending a help-desk visit: back at the desk)."""
    db = get_session()
    row = g.login_session
    stopped = db.get(Mandate, row.acting_mandate_id) if row is not None and row.acting_mandate_id else None
    _stop(db)
    db.commit()
    if stopped is None:
        flash(_("U doet nu dingen voor uzelf."), "success")
        return redirect(url_for("messages.inbox"))
    name = stopped.giver.person.full_name
    if stopped.kind is MandateKind.ASSISTED:
        flash(_("Het bezoek van %(name)s is gestopt. U kunt niets meer voor %(name)s doen.", name=name), "success")
        return redirect(url_for("helpdesk.index"))
    flash(_("U doet niets meer voor %(name)s. Dit is weer uw eigen Berichtenbox.", name=name), "success")
    return redirect(url_for("messages.inbox"))


def _stop(db) -> None:  # type: ignore[no-untyped-def]
    """Stop acting for someone; an assisted visit ends with it."""
    row = g.login_session
    if row is not None and row.acting_mandate_id is not None:
        end_visit_if_assisted(db, row.acting_mandate_id, acting.current().actor.id, utcnow())
    login_sessions.set_acting(row, None)
