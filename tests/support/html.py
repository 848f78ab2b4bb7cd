"""Every HTML page the test client fetches is parsed and checked (after GOV.UK Notify's
``client_request``): valid HTML5, exactly one <h1>, a <title> that starts with it, unique
ids, <html lang>, forms with an action and a CSRF token, no inline script or style.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import html5lib
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.textcheck import BIDI_CONTROLS

ERROR_PREFIX = "Fout: "


class PageProblem(AssertionError):
    pass


def parse(html: str, *, meanings: bool = False) -> BeautifulSoup:
    """The page parsed. The glossary's explanations of government words (tested in
    tests/help/test_glossary.py) are taken out unless ``meanings``, so other tests can
    compare the sentences they are about."""
    soup = BeautifulSoup(html, "html.parser")
    return soup if meanings else without_meanings(soup)


def check_page(html: str, *, fragment: bool = False) -> BeautifulSoup:
    """Raise PageProblem naming the first broken page rule; return the parsed page."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        if fragment:
            parser.parseFragment(html)
        else:
            parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        raise PageProblem(f"Invalid HTML: {error}") from error
    soup = parse(html)
    if not fragment:
        _check_document(soup)
    _check_ids(soup)
    _check_forms(soup)
    _check_no_inline_code(soup)
    return soup


def _check_document(soup: BeautifulSoup) -> None:
    root = soup.find("html")
    if root is None or not root.get("lang"):
        raise PageProblem("<html> needs a lang attribute")
    if root.get("dir") not in {"ltr", "rtl"}:
        raise PageProblem("<html> needs dir=ltr or dir=rtl")
    headings = soup.find_all("h1")
    if len(headings) != 1:
        raise PageProblem(f"Expected exactly one <h1>, found {len(headings)}")
    heading = normalise(headings[0].get_text())
    title = normalise(soup.title.get_text()) if soup.title else ""
    if title.startswith(ERROR_PREFIX):
        title = title[len(ERROR_PREFIX):]
    if title != heading and not title.startswith(heading + " – "):
        raise PageProblem(f"Title {title!r} should start with the <h1> {heading!r}")
    if soup.find("main") is None:
        raise PageProblem("No <main> landmark")


def _check_ids(soup: BeautifulSoup) -> None:
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicates = [key for key, count in ids.items() if count > 1]
    if duplicates:
        raise PageProblem(f"Duplicate ids: {duplicates}")
    for attribute in ("for", "aria-labelledby", "aria-describedby", "aria-controls"):
        for tag in soup.find_all(attrs={attribute: True}):
            for ref in str(tag[attribute]).split() if not isinstance(tag[attribute], list) else tag[attribute]:
                if ref not in ids:
                    raise PageProblem(f"{attribute}={ref!r} points to no element")


def _check_forms(soup: BeautifulSoup) -> None:
    for form in soup.find_all("form"):
        if not form.get("action"):
            raise PageProblem(f"Form without action: {str(form)[:120]}")
        method = (form.get("method") or "get").lower()
        if method == "post" and form.find("input", attrs={"name": "csrf_token"}) is None:
            raise PageProblem(f"POST form without CSRF token: {form.get('action')}")


def _check_no_inline_code(soup: BeautifulSoup) -> None:
    for script in soup.find_all("script"):
        if not script.get("src") or script.get_text().strip():
            raise PageProblem("Inline <script> (the CSP forbids it)")
    if soup.find("style") is not None:
        raise PageProblem("Inline <style> (the CSP forbids it)")
    styled = soup.find(attrs={"style": True})
    if styled is not None:
        raise PageProblem(f"style attribute on <{styled.name}> (the CSP forbids it)")
    for tag in soup.find_all(True):
        handlers = [name for name in tag.attrs if name.startswith("on")]
        if handlers:
            raise PageProblem(f"Inline event handler {handlers} on <{tag.name}>")


def without_meanings(soup: BeautifulSoup) -> BeautifulSoup:
    """The page without the glossary's bracketed meanings (portal/help/glossary.py)."""
    for meaning in soup.select("span.term-meaning"):
        meaning.decompose()
    soup.smooth()  # join the text on both sides again: "bewindvoerder" + "." reads as one
    return soup


def normalise(text: str) -> str:
    """Text as read: spaces folded, and the invisible direction marks left out (a title holds
    sender text between Unicode isolates where the <h1> uses <bdi>)."""
    return " ".join("".join(char for char in text if char not in BIDI_CONTROLS).split())


class CheckedClient(FlaskClient):
    """A test client that checks every HTML page it receives."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:  # type: ignore[override]
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and response.status_code != 302:
            fragment = bool(response.request.headers.get("HX-Request"))
            check_page(response.get_data(as_text=True), fragment=fragment)
        return response

    def page(
        self, url: str, status: int = 200, *, meanings: bool = False, **kwargs: Any
    ) -> BeautifulSoup:
        """GET a page, assert its status, return it parsed. The glossary's explanations of
        government words are taken out unless ``meanings`` (see ``parse``)."""
        response = self.get(url, **kwargs)
        assert response.status_code == status, (url, response.status_code, response.location)
        return parse(response.get_data(as_text=True), meanings=meanings)

    def csrf_token(self, url: str) -> str:
        soup = self.page(url)
        field = soup.find("input", attrs={"name": "csrf_token"})
        assert field is not None, f"No CSRF token on {url}"
        return str(field["value"])
