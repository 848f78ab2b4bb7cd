"""The built-in practice DigiD: a real OpenID Connect provider for training and tests.

It runs as its own Flask app (own session cookie, CSRF protection, error pages and
headers) mounted at /oefen-digid in front of the portal, on the same database. It must
never run in production (``portal.config.ProductionConfig`` refuses it).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from portal.practice_digid.app import MOUNT_PATH, create_provider_app

EXTENSION_KEY = "portal.practice_digid"


def mount(app: Flask) -> None:
    """Serve the practice DigiD at ``/oefen-digid`` in front of ``app``."""
    provider = create_provider_app(
        app.config,
        engine=app.extensions.get("portal.engine"),
        instance_path=app.instance_path,
    )
    dispatcher = DispatcherMiddleware(app.wsgi_app, {MOUNT_PATH: provider})
    app.wsgi_app = dispatcher  # type: ignore[method-assign]
    app.extensions[EXTENSION_KEY] = provider


__all__ = ["MOUNT_PATH", "create_provider_app", "mount"]
