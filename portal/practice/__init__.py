"""Practice mode for library trainers (issue 10): sandboxes per learner, their start and reset.

Only in practice mode (``PORTAL_MODE=practice``); on a real portal these pages do not exist.
docs/practice-mode.md describes the design.
"""

from flask import Blueprint

bp = Blueprint("practice", __name__, url_prefix="/oefenen")

from portal.practice import routes  # noqa: E402,F401
