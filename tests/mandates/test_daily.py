"""The daily mandate job: expiry letters 30 days ahead (once), and the 15-month purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain import audit
from portal.domain import mandates as mandate_rules
from portal.mandates import daily
from portal.models import AuditAction, AuditEntry, EndReason, Letter, Mandate, MandateKind
from portal.notifications.backends import FileBackend
from portal.notifications.worker import Worker
from tests.support.login import account_of
from tests.support.mandates import make_mandate

EXPIRING = "Uw machtiging stopt binnenkort"


def expiry_letters(db: Session, username: str) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Letter).where(
        Letter.account_id == account_of(db, username).id, Letter.subject == EXPIRING))


def exists(db: Session, mandate: Mandate) -> bool:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Mandate).where(Mandate.id == mandate.id)) == 1


@pytest.fixture
def pair(db: Session, demo):  # type: ignore[no-untyped-def]
    return account_of(db, "joke"), account_of(db, "sanne")


def test_expiry_letter_29_and_30_days_ahead_not_31(app: Flask, db: Session, pair, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = pair
    in_29 = make_mandate(db, joke, sanne, now=now, ends_at=now + timedelta(days=29))
    in_30 = make_mandate(db, joke, sanne, now=now, ends_at=now + timedelta(days=30))
    just_over = make_mandate(db, joke, sanne, now=now, ends_at=now + timedelta(days=30, seconds=1))
    in_31 = make_mandate(db, joke, sanne, now=now, ends_at=now + timedelta(days=31))
    with app.app_context():
        assert daily.send_expiry_letters(db, now) == 2
    db.expire_all()
    assert in_29.expiry_warned_at is not None and in_30.expiry_warned_at is not None
    assert just_over.expiry_warned_at is None and in_31.expiry_warned_at is None
    assert expiry_letters(db, "joke") == 2
    # A day later the 31-day one is at 30 days: its letter now, the others not again.
    with app.app_context():
        assert daily.send_expiry_letters(db, now + timedelta(days=1)) == 2
        assert daily.send_expiry_letters(db, now + timedelta(days=2)) == 0
    assert expiry_letters(db, "joke") == 4


def test_no_expiry_letter_for_visits_ended_pending_expired_or_open_ended(
    app: Flask, db: Session, pair, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    joke, sanne = pair
    soon = now + timedelta(days=3)
    make_mandate(db, joke, sanne, now=now, ends_at=now + timedelta(minutes=30), kind=MandateKind.ASSISTED)
    make_mandate(db, joke, sanne, now=now, ends_at=soon, accepted=False)
    make_mandate(db, joke, sanne, now=now, ends_at=now - timedelta(seconds=1))
    make_mandate(db, joke, sanne, now=now, ends_at=None, kind=MandateKind.LEGAL)
    ended = make_mandate(db, joke, sanne, now=now, ends_at=soon)
    mandate_rules.end(db, ended, by_id=joke.id, reason=EndReason.REVOKED, now=now)
    db.commit()
    with app.app_context():
        assert daily.send_expiry_letters(db, now) == 0
    assert expiry_letters(db, "joke") == 0


def test_fifteen_months_to_the_second() -> None:
    assert mandate_rules.visible_since(datetime(2026, 11, 28, 12, 0, 5, tzinfo=UTC)) == datetime(
        2025, 8, 28, 12, 0, 5, tzinfo=UTC)
    # The day is clamped to the shorter month.
    assert mandate_rules.visible_since(datetime(2027, 5, 31, 8, 0, tzinfo=UTC)) == datetime(
        2026, 2, 28, 8, 0, tzinfo=UTC)


def test_purge_edges(app: Flask, db: Session, pair, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = pair
    cutoff = mandate_rules.visible_since(now)
    second = timedelta(seconds=1)
    long_ago = cutoff - timedelta(days=800)

    def ended_at(moment: datetime) -> Mandate:
        mandate = make_mandate(db, joke, sanne, now=long_ago, starts_at=long_ago, ends_at=now + timedelta(days=1))
        mandate_rules.end(db, mandate, by_id=joke.id, reason=EndReason.REVOKED, now=moment)
        db.commit()
        return mandate

    ended_before = ended_at(cutoff - second)
    ended_on = ended_at(cutoff)
    expired_before = make_mandate(db, joke, sanne, now=long_ago, starts_at=long_ago, ends_at=cutoff - second)
    expired_on = make_mandate(db, joke, sanne, now=long_ago, starts_at=long_ago, ends_at=cutoff)
    lapse = timedelta(days=mandate_rules.PENDING_DAYS)

    def pending_from(created: datetime) -> Mandate:
        mandate = make_mandate(db, joke, sanne, now=created, starts_at=created + timedelta(days=40),
                               ends_at=now + timedelta(days=100), accepted=False)
        mandate.created_at = created
        db.commit()
        return mandate

    lapsed_before = pending_from(cutoff - lapse - second)
    lapsed_on = pending_from(cutoff - lapse)
    open_ended_legal = make_mandate(db, joke, sanne, now=long_ago, starts_at=long_ago, ends_at=None,
                                    kind=MandateKind.LEGAL)
    # What the helper did stays in the citizen's log, after the mandate is gone.
    audit.record(db, actor_id=sanne.id, owner_id=joke.id, mandate_id=expired_before.id,
                 action=AuditAction.PAGE_VIEWED, what="messages.inbox", at=long_ago)
    db.commit()

    with app.app_context():
        result = daily.run(db, now)
    assert result.purged == 3
    for gone in (ended_before, expired_before, lapsed_before):
        assert not exists(db, gone)
    for kept in (ended_on, expired_on, lapsed_on, open_ended_legal):
        assert exists(db, kept)
    assert db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.mandate_id == expired_before.id)) == 1
    with app.app_context():
        assert daily.run(db, now + second).purged == 3  # one second later the "on" ones go too


def test_the_worker_runs_the_job_and_the_cli_too(app: Flask, db: Session, pair, now: datetime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = pair
    first = make_mandate(db, joke, sanne, now=now, ends_at=now + timedelta(days=10))
    Worker(app, FileBackend(str(tmp_path))).run_mandate_job(now)
    db.expire_all()
    assert first.expiry_warned_at is not None and expiry_letters(db, "joke") == 1
    make_mandate(db, joke, sanne, now=now, ends_at=now + timedelta(days=5))
    result = app.test_cli_runner().invoke(args=["mandates", "daily"])
    assert result.exit_code == 0, result.output
    assert "1 expiry letters sent" in result.output
    assert expiry_letters(db, "joke") == 2


def test_asks_go_the_day_after_they_lapsed_or_were_withdrawn(db: Session, pair, now) -> None:  # type: ignore[no-untyped-def]
    """Issue 16, item 5: an ask (what a helper typed) is kept while it waits, and all of
    today's, which count towards the helper's limit of the day."""
    from portal.models import MandateAsk

    _joke, sanne = pair
    day = timedelta(days=1)

    def ask(asked_at: datetime, lapses_at: datetime, withdrawn: bool = False) -> MandateAsk:
        made = MandateAsk(helper_id=sanne.id, asked_at=asked_at, lapses_at=lapses_at, bsn_masked="******006",
                          surname="Vries", withdrawn_at=asked_at if withdrawn else None)
        db.add(made)
        return made

    waiting = ask(now - 10 * day, now + 20 * day)
    lapsed = ask(now - 31 * day, now - day)
    withdrawn = ask(now - 2 * day, now + 28 * day, withdrawn=True)
    withdrawn_today = ask(now, now + 30 * day, withdrawn=True)
    db.commit()
    ids = {"waiting": waiting.id, "lapsed": lapsed.id, "withdrawn": withdrawn.id, "today": withdrawn_today.id}
    assert mandate_rules.purge_asks(db, now) == 2
    db.commit()
    db.expire_all()
    assert {name for name, ask_id in ids.items() if db.get(MandateAsk, ask_id) is not None} == {"waiting", "today"}
