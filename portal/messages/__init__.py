"""The Berichtenbox: inbox, archive, a letter, its attachments and a print view."""

from flask import Blueprint

bp = Blueprint("messages", __name__, url_prefix="/berichten")

from portal.messages import routes  # noqa: E402,F401
