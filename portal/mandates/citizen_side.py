"""The citizen's side: who may help me, give a mandate, answer a request, stop one.

Used by the citizen, or by their legal representative acting for them: the box owner is
always ``acting.current().box_account_id``; every mandate is looked up with it.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import acting
from portal.db import get_session
from portal.domain import mandates
from portal.domain.mandates import MandateError, MandateRule
from portal.mandates import bp, code_letter, notices
from portal.mandates.forms import MandateForm, answer_error, change_error, organisations
from portal.mandates.labels import END_REASON_LABELS, STATE_LABELS
from portal.models import EndReason, Mandate, MandateKind
from portal.policy import MandateState, state_of
from portal.timeutil import utcnow

GRANT_TEMPLATE = "views/mandates/grant_form.html"
CHANGE_TEMPLATE = "views/mandates/change_form.html"


def status_word(mandate: Mandate) -> str:
    """The state in words, with a lapsed offer and the reason of an end told apart."""
    now = utcnow()
    if mandates.is_lapsed(mandate, now):
        return _("Verlopen zonder antwoord")
    state = state_of(mandate, now)
    if state is MandateState.ENDED and mandate.end_reason is not None:
        return _("Gestopt: %(reason)s", reason=END_REASON_LABELS[mandate.end_reason])
    return str(STATE_LABELS[state])


bp.add_app_template_global(status_word, "mandate_status")
bp.add_app_template_global(lambda m: mandates.is_open(m, utcnow()), "mandate_is_open")
bp.add_app_template_global(lambda m: mandates.stopped_at(m, utcnow()) is None, "mandate_still_on")
bp.add_app_template_global(mandates.lapses_at, "mandate_lapses_at")
bp.add_app_template_global(lambda m: mandates.is_changeable(m, utcnow()), "mandate_can_change")
# A representative sees his own request or mandate on the citizen's page, but cannot answer
# or change it (``mandates.refuse_own``).
bp.add_app_template_global(lambda m: m.helper_id == acting.current().actor.id, "mandate_is_own")


def _under(current: acting.Acting) -> uuid.UUID | None:
    """The mandate under which the person acts for the citizen (None: the citizen herself)."""
    return current.mandate.id if current.mandate is not None else None


def not_allowed(message: str, status: int, back: str | None) -> tuple[str, int]:
    """A clear page when an answer or end is refused (the form worked without JavaScript)."""
    return render_template("views/mandates/not_allowed.html", message=message, back=back), status


def _given_or_404(mandate_id: uuid.UUID) -> Mandate:
    found = mandates.find_given(get_session(), acting.current().box_account_id, mandate_id, utcnow())
    if found is None:
        abort(404)
    return found


@bp.get("/machtigingen/")
def index() -> str:
    current = acting.current()
    db = get_session()
    now = utcnow()
    held = mandates.held_overview(db, current.actor.id, now) if current.for_self else None
    return render_template(
        "views/mandates/index.html",
        given=mandates.given_overview(db, current.box_account_id, now),
        held=held,
        retention_months=mandates.RETENTION_MONTHS,
    )


def _grant_page(form: MandateForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        GRANT_TEMPLATE,
        form=form,
    ), status


@bp.get("/machtigingen/geven")
def grant_form() -> tuple[str, int]:
    return _grant_page(MandateForm.empty(organisations(get_session()), mandates.today_in_nl(utcnow())))


@bp.post("/machtigingen/geven")
def grant() -> Response | tuple[str, int]:
    current = acting.current()
    db = get_session()
    now = utcnow()
    form = MandateForm(organisations(db))
    form.validate()
    try:
        mandate = mandates.offer(
            db, giver_id=current.box_account_id, actor_id=current.actor.id, helper_bsn=form.person_bsn,
            helper_surname=form.surname, terms=form.terms(), now=now, under_id=_under(current),
        )
    except MandateError as error:
        db.rollback()
        form.show(error.rules)
        return _grant_page(form, 400)
    code_letter.offer_made(db, mandate, now)
    db.commit()
    flash(_("U heeft %(name)s een machtiging aangeboden. Die geldt pas als %(name)s hem accepteert.",
            name=mandate.helper.person.full_name), "success")
    return redirect(url_for("mandates.detail", mandate_id=mandate.id))


@bp.get("/machtigingen/<uuid:mandate_id>")
def detail(mandate_id: uuid.UUID) -> str:
    return render_template(
        "views/mandates/detail.html", mandate=_given_or_404(mandate_id), retention_months=mandates.RETENTION_MONTHS
    )


@bp.post("/machtigingen/<uuid:mandate_id>/stoppen")
def end(mandate_id: uuid.UUID) -> Response | tuple[str, int]:
    mandate = _given_or_404(mandate_id)
    db = get_session()
    now = utcnow()
    try:
        ended = mandates.end_by_giver(db, mandate, by_id=acting.current().actor.id, now=now)
    except MandateError as error:
        return not_allowed(answer_error(error.rules[0]), 403, url_for("mandates.detail", mandate_id=mandate.id))
    if ended:
        notices.ended(db, mandate, now)
    db.commit()
    flash(_("De machtiging van %(name)s is gestopt. %(name)s kan vanaf nu niets meer voor u doen.",
            name=mandate.helper.person.full_name), "success")
    return redirect(url_for("mandates.index"))


@bp.post("/machtigingen/<uuid:mandate_id>/goedkeuren")
def approve(mandate_id: uuid.UUID) -> Response | tuple[str, int]:
    mandate = _given_or_404(mandate_id)
    db = get_session()
    now = utcnow()
    current = acting.current()
    try:
        mandates.approve(mandate, now, by_id=current.actor.id, under_id=_under(current))
    except MandateError as error:
        status = 403 if error.rules[0] is MandateRule.OWN_MANDATE else 400
        return not_allowed(answer_error(error.rules[0]), status, url_for("mandates.detail", mandate_id=mandate.id))
    notices.given(db, mandate, now)
    db.commit()
    flash(_("U heeft de vraag van %(name)s goedgekeurd.", name=mandate.helper.person.full_name), "success")
    return redirect(url_for("mandates.detail", mandate_id=mandate.id))


@bp.post("/machtigingen/<uuid:mandate_id>/afwijzen")
def decline(mandate_id: uuid.UUID) -> Response | tuple[str, int]:
    mandate = _given_or_404(mandate_id)
    db = get_session()
    now = utcnow()
    if mandate.kind is not MandateKind.REQUESTED or not mandates.is_open(mandate, now):
        rule = MandateRule.LAPSED if mandates.is_lapsed(mandate, now) else MandateRule.NOT_PENDING
        return not_allowed(answer_error(rule), 400, url_for("mandates.detail", mandate_id=mandate.id))
    mandates.end(db, mandate, by_id=acting.current().actor.id, reason=EndReason.DECLINED, now=now)
    db.commit()
    flash(_("U heeft de vraag van %(name)s afgewezen.", name=mandate.helper.person.full_name), "success")
    return redirect(url_for("mandates.index"))


def _change_page(mandate: Mandate, form: MandateForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        CHANGE_TEMPLATE,
        mandate=mandate,
        form=form,
        start_fixed=mandates.start_is_fixed(mandate, utcnow()),
    ), status


def _not_changeable(mandate: Mandate) -> tuple[str, int] | None:
    """The refusal page when this mandate cannot change (None: it can)."""
    if mandate.helper_id == acting.current().actor.id:
        return not_allowed(answer_error(MandateRule.OWN_MANDATE), 403, _detail(mandate))
    if mandates.is_changeable(mandate, utcnow()):
        return None
    if mandate.kind is MandateKind.LEGAL:
        return not_allowed(change_error(MandateRule.LEGAL_NOT_CHANGEABLE, mandate), 403, _detail(mandate))
    return not_allowed(change_error(MandateRule.NOT_CHANGEABLE, mandate), 400, _detail(mandate))


def _detail(mandate: Mandate) -> str:
    return url_for("mandates.detail", mandate_id=mandate.id)


@bp.get("/machtigingen/<uuid:mandate_id>/wijzigen")
def change_form(mandate_id: uuid.UUID) -> tuple[str, int]:
    mandate = _given_or_404(mandate_id)
    return _not_changeable(mandate) or _change_page(mandate, MandateForm.of(mandate, organisations(get_session())))


@bp.post("/machtigingen/<uuid:mandate_id>/wijzigen")
def change(mandate_id: uuid.UUID) -> Response | tuple[str, int]:
    mandate = _given_or_404(mandate_id)
    refused = _not_changeable(mandate)
    if refused is not None:
        return refused
    db = get_session()
    now = utcnow()
    form = MandateForm(organisations(db))
    form.validate()
    try:
        current = acting.current()
        changed = mandates.change(db, mandate, terms=form.terms(), now=now, by_id=current.actor.id,
                                  under_id=_under(current))
    except MandateError as error:
        db.rollback()
        if error.rules[0] in (MandateRule.LEGAL_NOT_CHANGEABLE, MandateRule.NOT_CHANGEABLE):
            return not_allowed(change_error(error.rules[0], mandate), 400, _detail(mandate))
        mandate = _given_or_404(mandate_id)
        if mandates.start_is_fixed(mandate, now):
            form.begindatum.data = mandates.first_day(mandate).isoformat()
        form.show(error.rules)
        return _change_page(mandate, form, 400)
    name = mandate.helper.person.full_name
    if not changed:
        flash(_("U heeft niets veranderd aan de machtiging van %(name)s.", name=name), "info")
        return redirect(_detail(mandate))
    notices.changed(db, mandate, now)
    code_letter.mandate_changed(db, mandate, now)
    db.commit()
    flash(_("De machtiging van %(name)s is gewijzigd.", name=name), "success")
    return redirect(_detail(mandate))
