"""Onboarding by CLI (R8): add an organisation, create and revoke a client, usage report."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy.orm import Session

from portal.models import ApiClient, Organisation
from tests.api.conftest import get_token


def test_onboard_an_organisation_and_its_client(app: Flask, db: Session) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["api", "add-organisation", "--oin", "00000001234567890000",
                                 "--name", "Gemeente Proefstad", "--kind", "municipality"])
    assert result.exit_code == 0, result.output
    assert db.query(Organisation).filter_by(oin="00000001234567890000").one().name == "Gemeente Proefstad"

    result = runner.invoke(args=["api", "create-client", "--oin", "00000001234567890000",
                                 "--name", "post", "--scope", "letters:send"])
    assert result.exit_code == 0, result.output
    client_id = re.search(r"client_id:\s+(\S+)", result.output).group(1)  # type: ignore[union-attr]
    secret = re.search(r"client_secret:\s+(\S+)", result.output).group(1)  # type: ignore[union-attr]
    stored = db.query(ApiClient).filter_by(client_id=client_id).one()
    assert secret not in stored.secret_hash
    assert get_token(app.test_client(), client_id, secret, "letters:send").status_code == 200

    result = runner.invoke(args=["api", "revoke-client", client_id])
    assert result.exit_code == 0
    assert get_token(app.test_client(), client_id, secret, "letters:send").status_code == 401


def test_bad_oin_and_unknown_scope_are_refused(app: Flask, db: Session) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["api", "add-organisation", "--oin", "123", "--name", "X", "--kind", "municipality"])
    assert result.exit_code != 0 and "20 digits" in result.output
    result = runner.invoke(args=["api", "create-client", "--oin", "00000001234567890000", "--name", "x",
                                 "--scope", "everything"])
    assert result.exit_code != 0


def test_usage_report_prints_a_total(app: Flask, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["api", "usage", "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "Total charge: EUR 0.00" in result.output
