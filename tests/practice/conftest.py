"""The portal in practice mode, for the tests of sandboxes, classes and the console."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.engine import Engine

from portal import create_app
from portal.config import PortalMode
from tests.conftest import app_settings
from tests.support.html import CheckedClient
from tests.support.visits import BASE_URL


@pytest.fixture
def practice_app(engine: Engine, database_url: str, instance_path: str,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", instance_path)
    application = create_app({**app_settings(database_url, BASE_URL), "MODE": PortalMode.PRACTICE})
    application.test_client_class = CheckedClient
    yield application
    application.extensions["portal.engine"].dispose()
