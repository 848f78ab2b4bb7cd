"""Practice mode for library trainers (issue 10): sandboxes per learner, their start and reset.

Only in practice mode (``PORTAL_MODE=practice``); on a real portal these pages do not exist.
docs/practice-mode.md describes the design.
"""

from flask import Blueprint, Flask

bp = Blueprint("practice", __name__, url_prefix="/oefenen")


def init_app(app: Flask) -> None:
    """The steps of a learner's lesson are noted after each request (practice mode only)."""
    from portal.practice import progress

    app.after_request(progress.note)


from portal.practice import routes, trainer  # noqa: E402,F401
