"""Logging in with DigiD (OpenID Connect), logging out, and the R1 refusal page."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.auth import routes  # noqa: E402,F401
