"""Hulp aan de balie: help-desk staff act for a citizen for one visit, after the citizen agreed."""

from flask import Blueprint

bp = Blueprint("helpdesk", __name__, url_prefix="/balie")

from portal.helpdesk import routes  # noqa: E402,F401
