"""The helper's side: answer an offer, ask for a mandate, type the code, give one back.

Only for yourself (``Need.SELF``): the helper is ``acting.current().actor`` and every
mandate is looked up with the helper's own id.
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
from portal.mandates.citizen_side import not_allowed
from portal.mandates.forms import CodeForm, MandateForm, answer_error, asked_too_often, organisations
from portal.models import EndReason, Mandate, MandateKind
from portal.timeutil import utcnow


def _held_or_404(mandate_id: uuid.UUID) -> Mandate:
    found = mandates.find_held(get_session(), acting.current().actor.id, mandate_id, utcnow())
    if found is None:
        abort(404)
    return found


def _back(mandate: Mandate) -> str:
    return url_for("mandates.held", mandate_id=mandate.id)


@bp.get("/machtigingen/gekregen/<uuid:mandate_id>")
def held(mandate_id: uuid.UUID) -> str:
    return render_template("views/mandates/held.html", mandate=_held_or_404(mandate_id))


@bp.post("/machtigingen/gekregen/<uuid:mandate_id>/accepteren")
def accept(mandate_id: uuid.UUID) -> Response | tuple[str, int]:
    mandate = _held_or_404(mandate_id)
    db = get_session()
    now = utcnow()
    try:
        mandates.accept(mandate, now)
    except MandateError as error:
        return not_allowed(answer_error(error.rules[0]), 400, _back(mandate))
    notices.given(db, mandate, now)
    db.commit()
    flash(_("U heeft de machtiging van %(name)s geaccepteerd.", name=mandate.giver.person.full_name), "success")
    return redirect(_back(mandate))


@bp.post("/machtigingen/gekregen/<uuid:mandate_id>/weigeren")
def refuse(mandate_id: uuid.UUID) -> Response | tuple[str, int]:
    mandate = _held_or_404(mandate_id)
    db = get_session()
    now = utcnow()
    if mandate.kind is not MandateKind.GRANTED or not mandates.is_open(mandate, now):
        rule = MandateRule.LAPSED if mandates.is_lapsed(mandate, now) else MandateRule.NOT_PENDING
        return not_allowed(answer_error(rule), 400, _back(mandate))
    mandates.end(db, mandate, by_id=acting.current().actor.id, reason=EndReason.DECLINED, now=now)
    db.commit()
    flash(_("U heeft de machtiging van %(name)s geweigerd.", name=mandate.giver.person.full_name), "success")
    return redirect(url_for("mandates.index"))


@bp.post("/machtigingen/gekregen/<uuid:mandate_id>/teruggeven")
def give_back(mandate_id: uuid.UUID) -> Response | tuple[str, int]:
    mandate = _held_or_404(mandate_id)
    db = get_session()
    now = utcnow()
    try:
        ended = mandates.end_by_helper(db, mandate, by_id=acting.current().actor.id, now=now)
    except MandateError as error:
        return not_allowed(answer_error(error.rules[0]), 403, _back(mandate))
    if ended:
        notices.ended(db, mandate, now)
    db.commit()
    if mandate.accepted_at is None:
        # An offer the helper refuses this way; his own requests he withdraws as asks.
        flash(_("U heeft de machtiging van %(name)s geweigerd.", name=mandate.giver.person.full_name), "success")
    else:
        flash(_("U heeft de machtiging van %(name)s teruggegeven. U kunt niets meer voor %(name)s doen.",
                name=mandate.giver.person.full_name), "success")
    return redirect(url_for("mandates.index"))


def _request_page(form: MandateForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "views/mandates/request_form.html",
        form=form,
        pending_days=mandates.PENDING_DAYS,
    ), status


@bp.get("/machtigingen/vragen")
def request_form() -> tuple[str, int]:
    choices = organisations(get_session())
    return _request_page(MandateForm.empty(choices, mandates.today_in_nl(utcnow()), asking=True))


@bp.post("/machtigingen/vragen", endpoint="request")
def send_request() -> Response | tuple[str, int]:
    """The same answer whether the BSN and surname belong to someone or not (issue 16)."""
    db = get_session()
    now = utcnow()
    form = MandateForm(organisations(db), asking=True)
    form.validate()
    try:
        asked = mandates.ask(
            db, helper_id=acting.current().actor.id, citizen_bsn=form.person_bsn, citizen_surname=form.surname,
            terms=form.terms(), now=now,
        )
    except MandateError as error:
        db.rollback()
        if error.rules == (MandateRule.ASKED_TOO_OFTEN,):
            return not_allowed(asked_too_often(), 429, None)
        form.show(error.rules)
        return _request_page(form, 400)
    if asked.request is not None:
        code_letter.activation_code(db, asked.request, asked.code, now)
    db.commit()
    flash(_("Uw vraag is verstuurd. Als het burgerservicenummer en de achternaam kloppen, krijgt deze "
            "persoon een brief met een code. Zegt die persoon ja? Dan ziet u de machtiging hier."), "success")
    return redirect(url_for("mandates.index"))


@bp.post("/machtigingen/vragen/<uuid:ask_id>/intrekken")
def withdraw_ask(ask_id: uuid.UUID) -> Response:
    db = get_session()
    now = utcnow()
    actor_id = acting.current().actor.id
    asked = mandates.find_open_ask(db, actor_id, ask_id, now)
    if asked is None:
        abort(404)
    mandates.withdraw_ask(db, asked, by_id=actor_id, now=now)
    db.commit()
    flash(_("U heeft uw vraag ingetrokken."), "success")
    return redirect(url_for("mandates.index"))


def _code_page(form: CodeForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "views/mandates/activate_form.html", form=form, max_tries=mandates.MAX_CODE_ATTEMPTS,
    ), status


@bp.get("/machtigingen/activeren")
def activate_form() -> tuple[str, int]:
    return _code_page(CodeForm())


@bp.post("/machtigingen/activeren")
def activate() -> Response | tuple[str, int]:
    db = get_session()
    now = utcnow()
    form = CodeForm()
    if not form.validate():
        return _code_page(form, 400)
    try:
        mandate = mandates.activate(
            db, helper_id=acting.current().actor.id, citizen_bsn=form.bsn.data, code=form.code.data, now=now
        )
    except MandateError as error:
        db.commit()  # a wrong try counts, also when the page says no
        form.show(error.rules[0])
        return _code_page(form, 400)
    notices.given(db, mandate, now)
    db.commit()
    flash(_("De code klopt. U mag nu dingen doen voor %(name)s.", name=mandate.giver.person.full_name),
          "success")
    return redirect(_back(mandate))
