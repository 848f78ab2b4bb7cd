"""Hulp nodig?: one page, linked from every page, with three ways to get help (issue 5, R10, R11)."""

from flask import Blueprint

bp = Blueprint("help", __name__, url_prefix="/hulp")

from portal.help import routes  # noqa: E402,F401
