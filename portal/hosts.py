"""Which Host the portal answers for, and which proxies it believes (issue 16, item 7).

``TRUSTED_HOSTS`` (``PORTAL_TRUSTED_HOSTS``; in production the base URL's host by default) is
Flask's own setting, so ``request.host`` is checked. Flask raises that refusal only when it
routes the request, after the ``before_request`` functions, which build URLs and would then
fail with a 500. So the Host is also checked in front of the app: an untrusted one gets a
bare 400 before any of the portal runs.

``PROXY_COUNT`` (``PORTAL_PROXY_COUNT``): behind that many proxies, werkzeug's ``ProxyFix``
takes the client address, scheme and host from their ``X-Forwarded-*`` headers. With 0 (the
default) no such header is believed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_host

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

# An untrusted Host comes from a scanner, an attack or a wrong DNS name: no page, no links.
_REFUSAL_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}


class TrustedHostsOnly:
    """WSGI middleware: 400 for a request whose Host is not one of ``hosts``."""

    def __init__(self, app: WSGIApplication, hosts: Sequence[str]) -> None:
        self.app = app
        self.hosts = list(hosts)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            get_host(environ, self.hosts)
        except SecurityError:
            log.warning("Refused a request for an untrusted host %.100r",
                        environ.get("HTTP_HOST", ""))
            return Response(status=400, headers=_REFUSAL_HEADERS)(environ, start_response)
        return self.app(environ, start_response)


def init_app(app: Flask) -> None:
    """Wrap the finished app (the practice DigiD included): proxies outside, then the Host."""
    hosts = app.config.get("TRUSTED_HOSTS")
    if hosts:
        app.wsgi_app = TrustedHostsOnly(app.wsgi_app, hosts)  # type: ignore[method-assign]
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )
