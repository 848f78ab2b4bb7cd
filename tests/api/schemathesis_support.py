"""Helpers for the property-based API tests (tests/api/test_schemathesis.py).

Generated data alone hardly ever gets past the API's rules (a random BSN fails the elfproef,
a random UUID names no case), so most requests would end in a 4xx. These hooks mix in values
that exist in the demo data, so that some requests succeed and the success answers are
checked against the document too:

- ``bsn``/``bsns`` are sometimes replaced by practice persons' BSNs (with a box, and without);
- letters sometimes lose their attachments (random base64 is never a PDF) and get a
  consistent ``action``/``act_by``;
- ``case_id``/``letter_id`` are sometimes replaced by a *placeholder* UUID, which the test
  swaps for a real id of this test's data just before the call (ids are random per test,
  while generation must stay deterministic).

Known-good requests are added as explicit examples (with the token, and twice without a valid
one), so every operation's success answer and its 401 are exercised and asserted in every
run, whatever the fuzzing draws.
"""

from __future__ import annotations

import copy
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import strategies as st

from portal.demo.people import by_username

# Practice persons with an active Berichtenbox, subscribed to every national organisation.
BSNS_WITH_BOX = tuple(by_username(name).bsn for name in ("joke", "sanne", "ahmed", "tom"))  # type: ignore[union-attr]
# Valid BSNs (elfproef) without a box: too young, living abroad, not in the register.
BSNS_WITHOUT_BOX = tuple(by_username(name).bsn for name in ("lotte", "klaus", "noor"))  # type: ignore[union-attr]
DEMO_BSNS = BSNS_WITH_BOX + BSNS_WITHOUT_BOX

# Placeholders: valid UUIDs that generation can use; the test swaps them for real ids.
OPEN_CASE = "00000000-0000-4000-8000-00000000c001"
CLOSED_CASE = "00000000-0000-4000-8000-00000000c002"
OTHER_ORGANISATIONS_CASE = "00000000-0000-4000-8000-00000000c003"
DELIVERED_LETTER = "00000000-0000-4000-8000-00000000d001"
BOX_LETTER = "00000000-0000-4000-8000-00000000d002"
CASE_PLACEHOLDERS = (OPEN_CASE, CLOSED_CASE, OTHER_ORGANISATIONS_CASE)
LETTER_PLACEHOLDERS = (DELIVERED_LETTER, BOX_LETTER)

_references = itertools.count(1)

# Marks the explicit known-good examples, whose status the test asserts.
KNOWN_GOOD_REFERENCE = "PBT-KNOWN-GOOD"


@dataclass
class Ids:
    """Real ids for the placeholders, set up per test."""

    by_placeholder: dict[str, str] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        return self.by_placeholder.get(value, value) if isinstance(value, str) else value


def resolve_placeholders(case: schemathesis.Case, ids: Ids) -> None:
    """Swap placeholder UUIDs in the path and body for this test's real ids (in place)."""
    for name in ("case_id", "letter_id"):
        if name in (case.path_parameters or {}):
            case.path_parameters[name] = ids.resolve(case.path_parameters[name])
    if isinstance(case.body, dict) and "letter_id" in case.body:
        case.body["letter_id"] = ids.resolve(case.body["letter_id"])


def _with_demo_bsn(letter: Any) -> st.SearchStrategy[Any]:
    """A letter (or case) body with a demo BSN and text that passes more rules, or as generated.

    The demo choices come first: Hypothesis tries the first alternatives first and most often.
    """
    if not isinstance(letter, dict) or not isinstance(letter.get("bsn"), str):
        return st.just(letter)

    def with_bsn(bsn: str) -> dict[str, Any]:
        if bsn == letter["bsn"]:
            return letter
        result = {**letter, "bsn": bsn}
        if "letter_type" in result:  # a letter, not a case: no random attachment, action with a date
            result.pop("attachments", None)
            if isinstance(result.get("action"), str):
                result["act_by"] = "2030-01-31"
        return result

    return st.sampled_from((*DEMO_BSNS, letter["bsn"])).map(with_bsn)


def register_hooks(schema: schemathesis.BaseSchema) -> None:
    """Register this module's generation hooks on ``schema`` only (not globally)."""

    @schema.hook("flatmap_body")
    def demo_values_in_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy[Any]:
        if not isinstance(body, dict):
            return st.just(body)
        if isinstance(body.get("bsns"), list):
            demo = st.lists(st.sampled_from(DEMO_BSNS + ("123456789", "12345")), min_size=1, max_size=5)
            return st.one_of(demo.map(lambda bsns: {**body, "bsns": bsns}), st.just(body))
        if isinstance(body.get("letters"), list):
            letters = st.tuples(*(_with_demo_bsn(item) for item in body["letters"][:20]))
            return letters.map(lambda items: {**body, "letters": [*items, *body["letters"][20:]]})
        if isinstance(body.get("letter_id"), str):
            choices = st.sampled_from((*LETTER_PLACEHOLDERS, body["letter_id"]))
            return choices.map(lambda letter_id: {**body, "letter_id": letter_id})
        return _with_demo_bsn(body)

    @schema.hook("flatmap_path_parameters")
    def demo_ids_in_path(context: schemathesis.HookContext, parameters: Any) -> st.SearchStrategy[Any]:
        if not isinstance(parameters, dict):
            return st.just(parameters)
        for name, placeholders in (("case_id", CASE_PLACEHOLDERS), ("letter_id", LETTER_PLACEHOLDERS)):
            if isinstance(parameters.get(name), str):
                choices = st.sampled_from((*placeholders, parameters[name]))
                return choices.map(lambda value, name=name: {**parameters, name: value})
        return st.just(parameters)

    @schema.hook("map_case")
    def coverage_on_real_data(context: schemathesis.HookContext, case: schemathesis.Case) -> schemathesis.Case:
        """The coverage phase varies one thing at a time from a minimal base ("" for a BSN, a
        random UUID for a case): put demo data in the parts it is not varying, so that the
        varied part is what the API judges, instead of an invalid BSN or an unknown case."""
        data = case.meta.phase.data if case.meta is not None else None
        location = getattr(data, "location", None)
        if location is None:  # not a coverage case
            return case
        varies_path = getattr(getattr(data, "parameter_location", None), "value", None) == "path"
        if not varies_path and "case_id" in (case.path_parameters or {}):
            case.path_parameters["case_id"] = OPEN_CASE
        if not isinstance(case.body, dict):
            return case
        letters = case.body.get("letters")
        for item in [case.body, *(letters if isinstance(letters, list) else [])]:
            if not isinstance(item, dict):
                continue
            # The base value of a BSN is "" or "000000000"; of a date (format: date) "".
            if "/bsn" not in location and isinstance(item.get("bsn"), str):
                item["bsn"] = BSNS_WITH_BOX[0]
            if "/act_by" not in location and item.get("act_by") == "":
                item["act_by"] = "2030-01-31"
            # Every base letter or case has reference "0": after the first is accepted, the
            # rest would only meet duplicate_reference (409) instead of the rule they vary.
            if "/reference" not in location and isinstance(item.get("reference"), str):
                item["reference"] = f"COV-{next(_references)}"
        return case

    @schema.hook("before_add_examples")
    def known_good_examples(context: schemathesis.HookContext, examples: list[schemathesis.Case]) -> None:
        operation = context.operation
        assert operation is not None
        known = KNOWN_GOOD.get(operation.label)
        if known is None:
            return
        content = {} if known.body is None else {"body": copy.deepcopy(known.body), "media_type": "application/json"}
        examples.append(operation.Case(path_parameters=dict(known.path_parameters), **content))
        for authorization in NO_VALID_TOKEN:
            examples.append(operation.Case(path_parameters=dict(known.path_parameters),
                                           headers={"Authorization": authorization}, **content))


def _letter(**changes: Any) -> dict[str, Any]:
    return {"bsn": BSNS_WITH_BOX[0], "letter_type": "aanslag", "subject": "Uw aanslag",
            "body": "U moet 12 euro betalen.", "reference": KNOWN_GOOD_REFERENCE,
            "act_by": "2030-12-31", "action": "Betaal 12 euro.",
            "sender_url": "https://www.belastingdienst.nl/toeslagen", **changes}


@dataclass(frozen=True)
class KnownGood:
    """An explicit example: path parameters, body (None: no body) and the status it must get."""

    path_parameters: dict[str, str]
    body: Any
    status: int


KNOWN_GOOD: dict[str, KnownGood] = {
    "POST /subscriptions/check": KnownGood({}, {"bsns": [*DEMO_BSNS, "123456789"]}, 200),
    "POST /letters": KnownGood({}, _letter(), 201),
    # One deliverable letter and one to a person without a box: 200, a result per letter.
    "POST /letters/batch": KnownGood({}, {"letters": [_letter(reference="PBT-BATCH-1"),
                                                      _letter(reference="PBT-BATCH-2", bsn=BSNS_WITHOUT_BOX[0])]}, 200),
    "GET /letters/{letter_id}": KnownGood({"letter_id": DELIVERED_LETTER}, None, 200),
    "POST /cases": KnownGood({}, {"bsn": BSNS_WITH_BOX[0], "title": "Bezwaar", "reference": KNOWN_GOOD_REFERENCE,
                                  "steps": ["Ontvangen", "Besluit"]}, 201),
    "GET /cases/{case_id}": KnownGood({"case_id": OPEN_CASE}, None, 200),
    "POST /cases/{case_id}/status": KnownGood({"case_id": OPEN_CASE}, {"step": 2, "text": "We kijken ernaar.",
                                                                      "action": "Bel ons.", "act_by": "2030-01-31"}, 200),
    "POST /cases/{case_id}/close": KnownGood({"case_id": OPEN_CASE}, {"text": "Klaar."}, 200),
    "POST /cases/{case_id}/letters": KnownGood({"case_id": OPEN_CASE}, {"letter_id": DELIVERED_LETTER}, 200),
}
# Sent with each known-good request instead of the valid token: both must get 401.
NO_VALID_TOKEN = ("Bearer not-a-token", "Basic dGVzdHM6dGVzdHM=")


def expected_status(case: schemathesis.Case) -> int | None:
    """The status an explicit example must get; None for generated cases.

    The document has no examples, so every explicit example is one of ours (before_add_examples).
    """
    is_example = case.meta is None or case.meta.phase.name.value == "examples"
    known = KNOWN_GOOD.get(case.operation.label)
    if not is_example or known is None:
        return None
    return 401 if "Authorization" in (case.headers or {}) else known.status


@dataclass
class StatusLog:
    """Which statuses each operation answered, for the run's summary."""

    seen: dict[str, Counter[int]] = field(default_factory=dict)

    def add(self, label: str, status: int) -> None:
        self.seen.setdefault(label, Counter())[status] += 1

    def summary(self) -> str:
        lines = []
        for label, counter in sorted(self.seen.items()):
            statuses = ", ".join(f"{status}×{count}" for status, count in sorted(counter.items()))
            lines.append(f"  {label}: {sum(counter.values())} requests ({statuses})")
        return "\n".join(lines)
