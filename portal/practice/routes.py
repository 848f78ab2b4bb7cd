"""Begin met oefenen, Opnieuw beginnen, Stoppen met oefenen. Thin: the work is in ``sandboxes``."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import login_sessions
from portal.config import is_practice
from portal.db import get_session
from portal.forms import ButtonForm
from portal.i18n import text_direction
from portal.notifications.emails import compose, subject_in
from portal.practice import bp, browser, classes, mail, sandboxes, scenarios
from portal.practice import cards as lesson_cards
from portal.practice.forms import JoinForm, StartForm
from portal.domain.mandates import today_in_nl
from portal.timeutil import utcnow


@bp.before_request
def _only_in_practice_mode() -> None:
    if not is_practice(current_app.config):
        abort(404)


@bp.get("/")
def start() -> str:
    """Choose a lesson and begin; or, once begun, start again or stop."""
    return _page(StartForm(), JoinForm())


@bp.post("/beginnen")
def begin() -> Response | tuple[str, int]:
    form = StartForm()
    lesson = form.chosen_lesson() if form.validate_on_submit() else None
    if lesson is None:
        return _page(form, JoinForm()), 400
    db = get_session()
    _drop_old_sandbox()
    now = utcnow()
    try:
        made = sandboxes.create(db, lesson, today_in_nl(now), now)
    except sandboxes.NoRoomForSandbox:
        current_app.logger.warning("No room for another practice sandbox")
        form.refuse(form.les, _("Er oefenen nu te veel mensen tegelijk. Probeer het over een uur opnieuw."))
        return _page(form, JoinForm()), 503
    login_sessions.end()
    flash(_("U kunt beginnen. Log in met DigiD. U ziet daar met wie u kunt oefenen."), "success")
    response = redirect(url_for("start.index"))
    browser.give(response, made.token)
    return response


@bp.post("/meedoen")
def join() -> Response | tuple[str, int]:
    """Join a trainer's class with its code: a sandbox of the class's lesson."""
    form = JoinForm()
    db = get_session()
    now = utcnow()
    if not form.validate_on_submit():
        return _page(StartForm(), form), 400
    practice_class = classes.by_code(db, str(form.code.data or ""), now)
    if practice_class is None:
        form.refuse_code()
    nickname = form.nickname()
    if practice_class is None or nickname is None:
        return _page(StartForm(), form), 400
    _drop_old_sandbox()
    try:
        made = classes.join(db, practice_class, nickname, today_in_nl(now), now)
    except (classes.ClassFull, sandboxes.NoRoomForSandbox):
        current_app.logger.warning("No room for another learner in a practice class")
        form.refuse(form.code, _("Er doen al te veel mensen mee met deze les. Vraag de trainer wat u kunt doen."))
        return _page(StartForm(), form), 503
    login_sessions.end()
    flash(_("Welkom, %(name)s. U doet mee met de les. Log in met DigiD.", name=nickname), "success")
    response = redirect(url_for("start.index"))
    browser.give(response, made.token)
    return response


@bp.post("/opnieuw")
def reset() -> Response:
    """"Opnieuw beginnen" in the practice bar: everything as at the start, logged out."""
    sandbox = browser.current_sandbox()
    if not ButtonForm().validate_on_submit() or sandbox is None:
        return redirect(url_for(".start"))
    now = utcnow()
    sandboxes.reset(get_session(), sandbox, today_in_nl(now), now)
    login_sessions.end()
    flash(_("Alles staat weer zoals aan het begin. Log opnieuw in met DigiD."), "success")
    return redirect(url_for("start.index"))


@bp.post("/stoppen")
def stop() -> Response:
    """Stop practising: this browser's sandbox is deleted at once."""
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".start"))
    _drop_old_sandbox()
    login_sessions.end()
    flash(_("U bent gestopt met oefenen. Alles wat u deed, is gewist."), "success")
    response = redirect(url_for(".start"))
    browser.take_away(response)
    return response


@bp.get("/e-mail", endpoint="mail")
def mail_box() -> Response | str:
    """"Uw e-mail" in the practice bar: what the portal e-mailed this sandbox's persons."""
    sandbox = browser.current_sandbox()
    if sandbox is None:
        return redirect(url_for(".start"))
    db = get_session()
    mails = mail.mails_of(db, sandbox.id)
    # In the language the person gets it in, which may not be the page's.
    languages = {item.notification.id: mail.recipient_of(db, item.notification).language for item in mails}
    subjects = {item.notification.id: subject_in(item.notification.kind, languages[item.notification.id])
                for item in mails}
    return render_template("views/practice/mail.html", mails=mails, subjects=subjects, mail_languages=languages,
                           text_direction=text_direction)


@bp.get("/e-mail/<int:mail_id>")
def mail_message(mail_id: int) -> str:
    """One e-mail, with its text as the person gets it (composed as the worker does)."""
    sandbox = browser.current_sandbox()
    db = get_session()
    found = mail.mail_of(db, sandbox.id, mail_id) if sandbox is not None else None
    if found is None:
        abort(404)  # another learner's e-mail is not there, not forbidden
    message = compose(current_app._get_current_object(),  # type: ignore[attr-defined]
                      db, found.notification, mail.recipient_of(db, found.notification), found.at)
    return render_template(
        "views/practice/mail_message.html", found=found, subject=str(message["Subject"]),
        language=str(message["Content-Language"]), direction=text_direction(str(message["Content-Language"])),
        paragraphs=mail.paragraphs(message.get_content(), current_app.config["BASE_URL"]),
    )


def _drop_old_sandbox() -> None:
    """Delete this browser's sandbox (a browser has one: a new lesson replaces it)."""
    old = browser.current_sandbox()
    if old is not None:
        db = get_session()
        sandboxes.remove(db, old.id)
        db.commit()
        browser.forget()


def _page(form: StartForm, join_form: JoinForm) -> str:
    sandbox = browser.current_sandbox()
    lesson = scenarios.lesson(sandbox.scenario) if sandbox is not None else None
    return render_template(
        "views/practice/start.html", start_form=form, join_form=join_form, sandbox=sandbox, lesson=lesson,
        ran_out=sandbox is None and browser.had_sandbox(),
        # The layout's "Fout:" in the title comes from the form with problems, if any.
        form=join_form if join_form.has_problems else form,
    )


@bp.get("/kaarten/")
def cards_index() -> str:
    """The lesson cards of every lesson, for trainers to print (public: nothing personal)."""
    return render_template("views/practice/cards_index.html",
                           lessons=[item for item in scenarios.lessons() if item.scenario.cards])


@bp.get("/kaarten/<lesson_key>")
def cards(lesson_key: str) -> str:
    """One lesson's cards, a print view: what to do, with the screenshot of the page."""
    lesson = scenarios.lesson(lesson_key)
    if lesson is None or not lesson.scenario.cards:
        abort(404)
    return render_template("views/practice/cards.html", lesson=lesson,
                           shots=lesson_cards.recorded(lesson.key))
