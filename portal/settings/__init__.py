"""Settings: from which organisations the citizen wants post (R2), and the language."""

from flask import Blueprint

bp = Blueprint("settings", __name__)

from portal.settings import routes  # noqa: E402,F401
from portal.settings import email  # noqa: E402,F401
