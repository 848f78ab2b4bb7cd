"""The help page: call the help line, find the nearest Informatiepunt Digitale Overheid by
postcode, or let someone help you (machtigen).

Public: a visitor who cannot log in needs help most. The postcode search is a POST (with a
CSRF token, as every form), so a postcode never ends up in a URL, a log line or the history.
"""

from __future__ import annotations

from flask import current_app, g, render_template
from flask_babel import gettext as _

from portal.config import is_practice
from portal.domain import help_points as rules
from portal.help import bp
from portal.help.forms import MAX_KEPT_LENGTH, PostcodeForm
from portal.policy import Scope

__all__ = ["HELP_LINE_NUMBER", "MAX_KEPT_LENGTH"]
# The help line of the portal: Informatie Rijksoverheid (the opening hours are page text).
HELP_LINE_NUMBER = "1400"


def _error_text(rule: rules.PostcodeRule) -> str:
    if rule is rules.PostcodeRule.MISSING:
        return _("Vul uw postcode in. Bijvoorbeeld: 3511 AB.")
    if rule is rules.PostcodeRule.TOO_LONG:
        return _("Deze postcode is te lang. Vul 4 cijfers in. De 2 letters mag u weglaten.")
    if rule is rules.PostcodeRule.STARTS_WITH_ZERO:
        return _("Een postcode begint nooit met een 0. Kijk of de cijfers goed zijn.")
    if rule is rules.PostcodeRule.UNUSED_LETTERS:
        return _("Een postcode eindigt nooit op SA, SD of SS. Kijk of de letters goed zijn.")
    return _("Vul een postcode in met 4 cijfers en 2 letters. Bijvoorbeeld: 3511 AB.")


def _page(form: PostcodeForm, points: list[rules.HelpPoint] | None = None, searched: str | None = None) -> str:
    acting = g.get("acting")
    return render_template(
        "views/help/index.html",
        help_line=HELP_LINE_NUMBER,
        form=form,
        points=points or [],
        searched=searched,
        may_manage_mandates=acting is not None and acting.may(Scope.MANAGE_MANDATES),
    )


@bp.get("")
def index() -> str:
    return _page(PostcodeForm())


@bp.post("")
def find() -> str | tuple[str, int]:
    form = PostcodeForm()
    form.validate()
    try:
        postcode = rules.check_postcode(form.postcode.data or "")
    except rules.PostcodeError as error:
        form.refuse(form.postcode, _error_text(error.rule))
        return _page(form), 400
    form.postcode.data = postcode
    return _page(form, points=rules.nearest(postcode, rules.RESULT_COUNT), searched=postcode)


@bp.get("/oefenomgeving")
def practice() -> str:
    """"Wat is dit?" from the practice bar: what the practice environment is (public)."""
    return render_template("views/help/practice.html", practice=is_practice(current_app.config))
