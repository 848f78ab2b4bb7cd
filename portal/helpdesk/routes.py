"""The help-desk pages: start a visit, let the citizen agree on screen, then DigiD.

Only registered staff acting for themselves reach these pages (``Need.HELP_DESK`` in
``portal.policy``). The visit itself starts in the login callback (``portal.mandates.visits``).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import acting
from portal.auth import oidc
from portal.auth.routes import provider_down
from portal.db import get_session
from portal.domain import visits as rules
from portal.helpdesk import bp
from portal.helpdesk.forms import STEP_AGREE, STEP_STOP, VisitForm
from portal.mandates import visits
from portal.timeutil import utcnow


def _index_page(form: VisitForm) -> str:
    db = get_session()
    staff_account = acting.current().actor
    staff = rules.staff_row(db, staff_account.id)
    return render_template(
        "views/helpdesk/index.html",
        staff=staff,
        form=form,
        visits=rules.visits_on_day(db, staff_account.id, utcnow()),
        visit_minutes=rules.VISIT_MINUTES,
    )


@bp.get("/")
def index() -> str:
    return _index_page(VisitForm(data={"scope": [scope.value for scope in rules.DEFAULT_VISIT_SCOPES]}))


@bp.post("/bezoek")
def start_visit() -> Response | str | tuple[str, int]:
    form = VisitForm()
    form.validate()
    if form.stap.data == STEP_STOP:
        visits.drop_pending()
        flash(_("Het bezoek is niet gestart."), "success")
        return redirect(url_for("helpdesk.index"))
    chosen = form.chosen()
    if not chosen:
        # Nothing is checked again: nothing was chosen for the person.
        form = VisitForm(formdata=None)
        form.refuse_nothing_chosen()
        return _index_page(form), 400
    staff_account = acting.current().actor
    staff = rules.staff_row(get_session(), staff_account.id)
    assert staff is not None  # Need.HELP_DESK
    if form.stap.data != STEP_AGREE:
        # Step 1: the citizen reads on the screen what they agree to.
        return render_template(
            "views/helpdesk/consent.html",
            staff_name=staff_account.person.full_name,
            desk=staff.desk_name,
            chosen=chosen,
            form=form,
            visit_minutes=rules.VISIT_MINUTES,
            consent_minutes=rules.CONSENT_MINUTES,
        )
    # Step 2: the citizen agreed; they log in with their own DigiD on this screen.
    pending = visits.store_pending(staff_account.id, chosen)
    try:
        return redirect(oidc.start_login(ui_locales=str(get_locale()), nonce=pending.nonce))
    except oidc.ProviderDown as error:
        visits.drop_pending()
        return provider_down(error)
