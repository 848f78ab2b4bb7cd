"""Persoonlijke gegevens: what the population register (BRP) says about the citizen."""

from flask import Blueprint

bp = Blueprint("profile", __name__)

from portal.profile import routes  # noqa: E402,F401
