"""Machtigingen: helpers act for a citizen, within what was given, for as long as it was given."""

from flask import Blueprint

bp = Blueprint("mandates", __name__)

from portal.mandates import choose, log, routes, template_helpers  # noqa: E402,F401

template_helpers.register(bp)
