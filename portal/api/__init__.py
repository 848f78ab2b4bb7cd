"""The organisation API (JSON, under /api/v1/), apart from the citizen pages.

Authentication is OAuth2 client credentials; every request carries a bearer token that is
bound to one organisation. Errors are application/problem+json (RFC 9457).
"""

from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from portal.api import auth, problems, routes, cases  # noqa: E402,F401  (views and handlers on bp)

problems.register(bp)


def init_app(app: Flask) -> None:
    from portal.extensions import csrf

    # Bearer tokens, not cookies: cross-site request forgery does not apply.
    csrf.exempt(bp)
    auth.init_app(app)
    app.register_blueprint(bp)
