"""Real-browser fixtures: the portal on a live server in a thread, Debian's Chromium driven by
Playwright. Every test that uses the site asks for ``demo_site``: a fresh database with the
demo data."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from portal import create_app
from portal.demo.seed import seed_demo
from portal.timeutil import utcnow
from tests.conftest import app_settings, empty_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class LiveServer:
    def __init__(self, app_factory: Any) -> None:
        self._app: Flask | None = None
        self._server = make_server("127.0.0.1", 0, self._dispatch, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._app = app_factory(self.url)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _dispatch(self, environ: dict[str, Any], start_response: Any) -> Any:
        assert self._app is not None
        return self._app(environ, start_response)

    @property
    def app(self) -> Flask:
        assert self._app is not None
        return self._app

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
        self.app.extensions["portal.engine"].dispose()


@pytest.fixture(scope="session")
def live_server(
    migrated_engine: Engine, database_url: str, instance_path: str
) -> Iterator[LiveServer]:
    import os

    os.environ["PORTAL_INSTANCE_PATH"] = instance_path
    server = LiveServer(lambda url: create_app(app_settings(database_url, url)))
    server.start()
    yield server
    server.stop()


# The practice server's inbox polls this often: fast, and still a real interval (a pushed
# letter must come within a few polls).
PRACTICE_POLL_SECONDS = 0.4


@pytest.fixture(scope="session")
def practice_server(migrated_engine: Engine, database_url: str, instance_path: str) -> Iterator[LiveServer]:
    """A second live portal on the same database, in practice mode (issue 10)."""
    from portal.config import PortalMode

    os.environ["PORTAL_INSTANCE_PATH"] = instance_path
    server = LiveServer(lambda url: create_app({**app_settings(database_url, url), "MODE": PortalMode.PRACTICE,
                                                "INBOX_POLL_SECONDS": PRACTICE_POLL_SECONDS}))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def demo_site(live_server: LiveServer, migrated_engine: Engine) -> LiveServer:
    """The live portal on a fresh database with the demo data."""
    empty_database(migrated_engine)
    with Session(migrated_engine) as session:
        now = utcnow()
        seed_demo(session, now.date(), now)
        session.commit()
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Joke's tablet asks for Dutch; English journeys switch with the language menu.
    return {**browser_context_args, "locale": "nl-NL", "accept_downloads": True}


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.url


class CspWatch:
    """Collects Content-Security-Policy violations reported in the browser console."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def __call__(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.violations.append(message.text)


@pytest.fixture
def csp_watch(page: Page) -> Iterator[CspWatch]:
    watch = CspWatch()
    page.on("console", watch)
    yield watch
    assert watch.violations == [], watch.violations


ACTION_TIMEOUT_MS = 10_000
# expect() waits as long as an action: CI runs two browsers on two cores side by side.
expect.set_options(timeout=ACTION_TIMEOUT_MS)

# The browser tests check what a person sees and does; the database under them is checked by
# the other tests on both databases. When CI runs SQLite and PostgreSQL side by side
# (scripts/test sets PORTAL_BROWSER_RUN), each browser test runs in one of the two runs, so
# the suite stays well under 15 minutes: the files below in the PostgreSQL run (the journeys
# that write the most; the runs end about together), the rest in the SQLite run, and the two six-language sweeps split by
# language. A run on its own (PORTAL_BROWSER_RUN unset) has them all.
BROWSER_RUN_VARIABLE = "PORTAL_BROWSER_RUN"
POSTGRESQL_FILES = frozenset(
    {"test_mandates.py", "test_mandates_legal.py", "test_api_to_citizen.py", "test_email_journey.py",
     "test_help_topics.py"}
)
BROWSER_RUNS = ("sqlite", "postgresql")
# The languages of the sweeps come from portal/i18n.py: these in the PostgreSQL run, every
# other one (a language added later too) in the SQLite run.
POSTGRESQL_SWEEP_LANGUAGES = frozenset({"ar", "uk"})
# Split by their language parameter, so they are in both runs.
SWEEP_FILES = frozenset({"test_accessibility.py", "test_error_summaries.py"})


def _browser_run() -> str | None:
    run = os.environ.get(BROWSER_RUN_VARIABLE) or None
    assert run in (None, *BROWSER_RUNS), f"{BROWSER_RUN_VARIABLE}={run}"
    return run


def languages_for_this_run() -> list[str]:
    from portal.i18n import LANGUAGES

    run = _browser_run()
    return [code for code in LANGUAGES if run is None or (code in POSTGRESQL_SWEEP_LANGUAGES) == (run == "postgresql")]


# What a browser asks for in each language (Joke's tablet says nl-NL): with the region where
# the language is mostly set so, else the bare code, so a new language is swept as it is.
_BROWSER_REGION = {"nl": "nl-NL", "en": "en-GB", "tr": "tr-TR", "pl": "pl-PL", "uk": "uk-UA"}


def browser_locale(code: str) -> str:
    return _BROWSER_REGION.get(code, code)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    run = _browser_run()
    if run is None:
        return
    here = Path(__file__).parent
    kept, deselected = [], []
    for item in items:
        path = Path(str(item.fspath))
        if path.parent != here or path.name in SWEEP_FILES:
            kept.append(item)
        elif (path.name in POSTGRESQL_FILES) == (run == "postgresql"):
            kept.append(item)
        else:
            deselected.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture
def page(page: Page) -> Page:
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    return page


def new_context(browser: Browser, base_url: str, **kwargs: Any) -> BrowserContext:
    """A context of its own (other viewport, JavaScript off, other language)."""
    options: dict[str, Any] = {"locale": "nl-NL", "accept_downloads": True, "base_url": base_url}
    options.update(kwargs)
    context = browser.new_context(**options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context


@contextmanager
def page_of_own_context(browser: Browser, base_url: str, **kwargs: Any) -> Iterator[Page]:
    """A page in a context of its own (``new_context``); the context is closed afterwards."""
    context = new_context(browser, base_url, **kwargs)
    try:
        yield context.new_page()
    finally:
        context.close()
