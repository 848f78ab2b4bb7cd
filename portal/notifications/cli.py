"""``flask --app portal notifications run [--once]`` and ``notifications status``."""

from __future__ import annotations

import logging
import signal
from types import FrameType

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from portal.db import get_session
from portal.models import Notification, NotificationSettings

notifications_cli = AppGroup("notifications", help="E-mail notifications: the outbox worker.")


@notifications_cli.command("run")
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@click.option("--poll", type=float, default=None,
              help="Seconds between looks at the outbox (default: PORTAL_NOTIFICATION_POLL_SECONDS).")
def run_command(once: bool, poll: float | None) -> None:
    """Send the e-mails in the outbox; keeps running until stopped (Ctrl+C or SIGTERM)."""
    from portal.notifications.worker import Worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    _log_to_stderr()
    worker = Worker(app)

    def stop(_signum: int, _frame: FrameType | None) -> None:
        worker.stopping.set()

    if not once:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        click.echo(f"Notification worker {worker.worker_id} started ({type(worker.backend).__name__}).")
    total = worker.run(poll if poll is not None else app.config["NOTIFICATION_POLL_SECONDS"], once=once)
    click.echo(f"Notifications: {total.describe()}.")


@notifications_cli.command("status")
def status_command() -> None:
    """How many e-mails are in each state, and how many citizens get e-mail (R13)."""
    session = get_session()
    for status, count in session.execute(
        select(Notification.status, func.count()).group_by(Notification.status).order_by(Notification.status)
    ):
        click.echo(f"{status.value}: {count}")
    confirmed = session.scalar(
        select(func.count()).where(NotificationSettings.confirmed_at.is_not(None),
                                   NotificationSettings.notify.is_(True))
    )
    click.echo(f"accounts with e-mail on: {confirmed}")


def _log_to_stderr() -> None:
    logger = logging.getLogger("portal.notifications")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
