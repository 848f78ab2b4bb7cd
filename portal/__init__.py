"""Burgerportaal: official post, running cases and personal data in one safe place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from portal.config import development_secret, load_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the portal. ``config`` overrides settings (tests pass ``{"ENV": "test", ...}``)."""
    app = Flask(__name__, instance_path=os.environ.get("PORTAL_INSTANCE_PATH") or None,
                instance_relative_config=True)
    overrides = dict(config or {})
    app.config.from_mapping(load_config(app.instance_path, overrides.pop("ENV", None)))
    app.config.from_mapping(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = development_secret(app.instance_path)

    from portal import acting, cli, db, i18n, security, templating
    from portal.domain import audit
    from portal.extensions import csrf, htmx

    db.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    security.init_app(app)
    acting.init_app(app)
    audit.guard()
    templating.init_app(app)
    _register_blueprints(app)
    cli.init_app(app)
    if app.config["PRACTICE_DIGID"]:
        from portal.practice_digid import mount

        mount(app)
    from portal import hosts

    hosts.init_app(app)  # last: it wraps everything above, the practice DigiD included
    return app


def _register_blueprints(app: Flask) -> None:
    from portal.auth import bp as auth_bp
    from portal.cases import bp as cases_bp
    from portal.errors import init_app as init_errors
    from portal.messages import bp as messages_bp
    from portal.settings import bp as settings_bp
    from portal.start import bp as start_bp

    app.register_blueprint(start_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(messages_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(settings_bp)

    from portal.help import bp as help_bp
    from portal.helpdesk import bp as helpdesk_bp
    from portal.mandates import bp as mandates_bp
    from portal.practice import bp as practice_bp
    from portal.profile import bp as profile_bp

    app.register_blueprint(mandates_bp)
    app.register_blueprint(profile_bp)
    app.register_blueprint(helpdesk_bp)
    app.register_blueprint(help_bp)
    app.register_blueprint(practice_bp)
    from portal import practice

    practice.init_app(app)
    from portal.help import glossary

    glossary.init_app(app)
    init_errors(app)
    from portal import api

    api.init_app(app)
