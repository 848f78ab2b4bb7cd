"""The help page: call the help line, find the nearest Informatiepunt Digitale Overheid by
postcode, or let someone help you (machtigen).

Public: a visitor who cannot log in needs help most. The postcode search is a POST (with a
CSRF token, as every form), so a postcode never ends up in a URL, a log line or the history.
"""

from __future__ import annotations

from flask import g, render_template, request
from flask_babel import gettext as _

from portal.domain import help_points as rules
from portal.help import bp
from portal.policy import Scope

POSTCODE_FIELD = "postcode"
# The help line of the portal: Informatie Rijksoverheid (the opening hours are page text).
HELP_LINE_NUMBER = "1400"
# What is shown again in the field after an error; far above any real postcode.
MAX_KEPT_LENGTH = 100


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


def _page(value: str = "", errors: dict[str, str] | None = None,
          points: list[rules.HelpPoint] | None = None, searched: str | None = None) -> str:
    acting = g.get("acting")
    return render_template(
        "views/help/index.html",
        help_line=HELP_LINE_NUMBER,
        value=value,
        errors=errors or {},
        error_title=bool(errors),
        points=points or [],
        searched=searched,
        may_manage_mandates=acting is not None and acting.may(Scope.MANAGE_MANDATES),
    )


@bp.get("")
def index() -> str:
    return _page()


@bp.post("")
def find() -> str | tuple[str, int]:
    typed = request.form.get(POSTCODE_FIELD, "")[:MAX_KEPT_LENGTH]
    try:
        postcode = rules.check_postcode(typed)
    except rules.PostcodeError as error:
        return _page(typed, {POSTCODE_FIELD: _error_text(error.rule)}), 400
    return _page(postcode, points=rules.nearest(postcode, rules.RESULT_COUNT), searched=postcode)
