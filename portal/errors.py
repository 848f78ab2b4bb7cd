"""Error pages in plain words. Never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

ERROR_TEMPLATES = {
    400: "views/errors/400.html",
    404: "views/errors/404.html",
    405: "views/errors/404.html",
    413: "views/errors/413.html",
}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> tuple[str, int]:
        return render_template("views/errors/csrf.html"), 400

    # Unhandled exceptions reach this as a 500 (InternalServerError), after Flask logged them.
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        template = ERROR_TEMPLATES.get(code, "views/errors/500.html")
        return render_template(template), code
