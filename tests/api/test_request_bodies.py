"""Issue 16, item 8: a deeply nested JSON body gave a 500; it is a 400 problem now."""

from __future__ import annotations

import pytest

from portal.api.parsing import MAX_JSON_DEPTH
from tests.api.conftest import ApiCaller


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("path", ["/letters", "/letters/batch", "/subscriptions/check"])
# 30,000 levels is 60 kB: under the size limit of every endpoint.
@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5_000, 30_000])
def test_deep_nesting_is_a_400_problem(belastingdienst: ApiCaller, path: str, depth: int) -> None:
    body = '{"bsn": "999990019", "deep": ' + nested(depth - 1) + "}"
    response = belastingdienst.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "invalid_json"
    assert str(MAX_JSON_DEPTH) in response.json["detail"]


def test_nesting_up_to_the_limit_reaches_the_field_checks(belastingdienst: ApiCaller) -> None:
    body = '{"bsn": "999990019", "deep": ' + nested(MAX_JSON_DEPTH - 1) + "}"
    response = belastingdienst.post("/letters", data=body, content_type="application/json")
    assert response.status_code == 422  # past the depth check: a missing field
    assert response.json["code"] == "missing_field"


def test_cases_api_bounds_depth_too(app, db, demo) -> None:  # type: ignore[no-untyped-def]
    from tests.api.conftest import caller_for

    uwv = caller_for(app, db, "UWV", ["cases:write"])
    response = uwv.post("/cases", data='{"x": ' + nested(10_000) + "}", content_type="application/json")
    assert (response.status_code, response.json["code"]) == (400, "invalid_json")
