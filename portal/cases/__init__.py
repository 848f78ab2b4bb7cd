"""Lopende Zaken: the citizen's running and closed cases, and a case page."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/zaken")

from portal.cases import routes  # noqa: E402,F401
