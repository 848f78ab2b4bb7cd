"""The trainer's console (issue 10, item 4): begin a class, come back with the trainer code,
see how far each learner got, and make things happen in their sandboxes. Thin: the work is
in ``classes``, ``progress`` and ``pushes``. No personal data: learners are nicknames."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.domain.mandates import today_in_nl
from portal.extensions import htmx
from portal.forms import ButtonForm
from portal.models import PracticeClass
from portal.practice import bp, browser, classes, progress, pushes, scenarios
from portal.practice.forms import EVERYONE, ClassForm, PushForm, TrainerCodeForm
from portal.timeutil import utcnow

# How often the console asks for the learners' progress (with JavaScript).
CONSOLE_REFRESH_SECONDS = 10


@bp.get("/trainer")
def trainer_start() -> str:
    return _start_page(ClassForm(), TrainerCodeForm())


@bp.post("/trainer/les")
def begin_class() -> Response | tuple[str, int]:
    form = ClassForm()
    chosen = form.chosen() if form.validate_on_submit() else None
    if chosen is None:
        return _start_page(form, TrainerCodeForm()), 400
    lesson, hours = chosen
    made = classes.create(get_session(), lesson, hours, utcnow())
    flash(_("De les is begonnen. Schrijf uw trainerscode op: daarmee komt u later terug."), "success")
    response = redirect(url_for(".console"))
    browser.give(response, made.trainer_code, browser.TRAINER_COOKIE_NAME)
    return response


@bp.post("/trainer/terug")
def trainer_return() -> Response | tuple[str, int]:
    form = TrainerCodeForm()
    found = classes.by_trainer_code(get_session(), str(form.code.data or "")) if form.validate_on_submit() else None
    if found is None:
        form.refuse_code()
        return _start_page(ClassForm(), form), 400
    response = redirect(url_for(".console"))
    browser.give(response, classes.normal_code(str(form.code.data)), browser.TRAINER_COOKIE_NAME)
    return response


@bp.post("/trainer/weg")
def trainer_leave() -> Response:
    """Leave the console on this computer (the class goes on; the code brings one back)."""
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".console"))
    response = redirect(url_for(".trainer_start"))
    browser.take_away(response, browser.TRAINER_COOKIE_NAME)
    return response


@bp.get("/trainer/les")
def console() -> str | Response:
    practice_class = _class_or_none()
    if practice_class is None:
        return redirect(url_for(".trainer_start"))
    return _console_page(practice_class, PushForm(_names(practice_class)))


@bp.get("/trainer/les/deelnemers")
def learners() -> str | Response:
    """The learners' table alone, for the console's refresh every few seconds (htmx)."""
    practice_class = _class_or_none()
    if practice_class is None:
        # The trainer left the console (another tab): htmx follows this to the start.
        gone = Response(status=401)
        gone.headers["HX-Redirect"] = url_for(".trainer_start")
        return gone if htmx else redirect(url_for(".trainer_start"))
    if not htmx:
        return redirect(url_for(".console"))
    return render_template("views/practice/_learners.html", **_learners_context(practice_class))


@bp.post("/trainer/les/sturen")
def push() -> Response | tuple[str, int]:
    practice_class = _class_or_none()
    if practice_class is None:
        return redirect(url_for(".trainer_start"))
    form = PushForm(_names(practice_class))
    what = form.chosen_push() if form.validate_on_submit() else None
    db = get_session()
    targets = classes.learners(db, practice_class)
    if form.aan.data != EVERYONE:
        one = classes.learner(db, practice_class, int(form.aan.data)) if str(form.aan.data).isdigit() else None
        targets = [one] if one is not None else []
        if one is None:
            form.refuse(form.aan, _("Kies iemand uit de lijst."))
    if what is None or form.has_problems:
        return _console_page(practice_class, form), 400
    now = utcnow()
    done = sum(1 for sandbox in targets if pushes.send(db, what, sandbox, today_in_nl(now), now))
    db.commit()
    flash(ngettext("Gedaan bij %(num)d deelnemer.", "Gedaan bij %(num)d deelnemers.", done)
          if done else _("Dit kon bij niemand: in deze les hoort het er niet bij."), "success" if done else "info")
    return redirect(url_for(".console"))


def _class_or_none() -> PracticeClass | None:
    code = browser.trainer_code()
    return classes.by_trainer_code(get_session(), code) if code else None


def _names(practice_class: PracticeClass) -> list[tuple[int, str]]:
    return [(sandbox.id, sandbox.nickname or "?") for sandbox in classes.learners(get_session(), practice_class)]


def _learners_context(practice_class: PracticeClass) -> dict[str, object]:
    db = get_session()
    joined = classes.learners(db, practice_class)
    return {"learners": joined, "progress": progress.of(db, joined), "refresh_seconds": CONSOLE_REFRESH_SECONDS}


def _console_page(practice_class: PracticeClass, form: PushForm) -> str:
    lesson = scenarios.lesson(practice_class.scenario)
    return render_template(
        "views/practice/console.html", practice_class=practice_class, lesson=lesson, form=form,
        trainer_code=classes.show_trainer_code(browser.trainer_code() or ""),
        is_open=classes.is_open(practice_class, utcnow()), join_url=url_for(".start", _external=True),
        **_learners_context(practice_class),
    )


def _start_page(class_form: ClassForm, code_form: TrainerCodeForm) -> str:
    return render_template("views/practice/trainer.html", class_form=class_form, code_form=code_form,
                           back_to_console=_class_or_none() is not None,
                           # The layout's "Fout:" comes from the form with problems, if any.
                           form=code_form if code_form.has_problems else class_form)
