"""Error pages in plain words. Never a stack trace."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


API_PREFIX = "/api/"


def _page(code: int) -> tuple[str, list[str]]:
    """The title and the sentences of the error page for ``code``, in the reader's language."""
    if code in (404, 405):
        return _("Deze pagina bestaat niet"), [_("Misschien is het adres niet goed. Of de pagina is weg.")]
    if code == 413:
        return _("Dit is te groot"), [_("U stuurde te veel gegevens tegelijk. Ga terug en maak het kleiner.")]
    if code == 400:
        return _("Dit ging niet goed"), [_("We begrijpen deze vraag niet. Ga terug en probeer het opnieuw.")]
    return _("Er ging iets mis"), [_("Dat is niet uw fout. Probeer het over een paar minuten opnieuw.")]


def _render(title: str, lines: list[str], code: int) -> tuple[str, int]:
    return render_template("views/errors/error.html", title=title, lines=lines), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> tuple[str, int]:
        lines = [_("Om uw gegevens te beschermen, ging dit niet door. Ga terug, laad de pagina "
                   "opnieuw en probeer het nog een keer.")]
        return _render(_("Deze pagina was te lang open"), lines, 400)

    # Unhandled exceptions reach this as a 500 (InternalServerError), after Flask logged them.
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        code = error.code or 500
        if request.path.startswith(API_PREFIX):
            # Unknown API paths answer in the API's own format.
            from portal.api.problems import HTTP_CODES, Problem, problem_response

            return problem_response(Problem(code, HTTP_CODES.get(code, "error"), str(error.description)))
        title, lines = _page(code)
        return _render(title, lines, code)
