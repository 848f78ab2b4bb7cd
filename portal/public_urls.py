"""Full URLs into the portal at its public address (``BASE_URL``), never at whatever Host a
request named: e-mail links, and the absolute URLs the organisation API gives out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask


def public_url(app: Flask, endpoint: str, **values: object) -> str:
    """The full URL of ``endpoint`` on ``BASE_URL``; works with or without a request."""
    base = urlsplit(app.config["BASE_URL"])
    adapter = app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
