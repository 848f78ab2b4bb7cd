"""Lets the portal's server-to-server OIDC calls (discovery, token, JWKS) reach the practice
DigiD inside the same WSGI app during test-client tests, without a network server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from werkzeug.test import Client


Rewrite = Callable[[str, requests.Response], None]


@contextmanager
def route_http_to(app: Any, base_url: str, rewrite: Rewrite | None = None) -> Iterator[None]:
    """Within the block, requests to ``base_url`` are answered by ``app``.

    ``rewrite(url, response)`` may change a response before the caller sees it (a test
    playing a misbehaving identity provider).
    """
    original = HTTPAdapter.send
    wsgi = Client(app)

    def send(adapter: HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        if not request.url or not request.url.startswith(base_url):
            return original(adapter, request, **kwargs)
        parts = urlsplit(request.url)
        result = wsgi.open(
            parts.path,
            method=request.method,
            query_string=parts.query,
            headers=dict(request.headers),
            data=request.body,
            base_url=base_url,
        )
        response = requests.Response()
        response.status_code = result.status_code
        response.headers.update(result.headers)
        response._content = result.get_data()
        response.url = request.url
        response.request = request
        if rewrite is not None:
            rewrite(request.url, response)
        return response

    HTTPAdapter.send = send  # type: ignore[method-assign]
    try:
        yield
    finally:
        HTTPAdapter.send = original  # type: ignore[method-assign]
