"""429 with Retry-After when a client sends too many requests."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from portal.api.ratelimit import RateLimiter
from tests.api.conftest import caller_for


def test_over_the_limit_gets_429_with_retry_after(app: Flask, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    app.extensions["portal.api_rate"] = RateLimiter(per_minute=3)
    caller = caller_for(app, db, "UWV", ["subscriptions:check"])
    body = {"bsns": ["999900006"]}
    assert [caller.post("/subscriptions/check", json=body).status_code for _ in range(3)] == [200] * 3
    response = caller.post("/subscriptions/check", json=body)
    assert response.status_code == 429
    assert response.json["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) == 20  # one request per 20 s at 3 a minute
    # Another organisation's client has its own allowance.
    other = caller_for(app, db, "SVB", ["subscriptions:check"])
    assert other.post("/subscriptions/check", json=body).status_code == 200


def test_the_bucket_refills_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=60, clock=lambda: now[0])
    assert all(limiter.take("a") is None for _ in range(60))
    assert limiter.take("a") == 1
    now[0] += 1.0
    assert limiter.take("a") is None
    assert limiter.take("a") == 1
