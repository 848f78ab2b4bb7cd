from dataclasses import replace
from datetime import date

import pytest

from portal.domain.letters import (
    MAX_BODY_LENGTH,
    MAX_IF_NOT_DONE_LENGTH,
    MAX_REFERENCE_LENGTH,
    MAX_SUBJECT_LENGTH,
    LetterDraft,
    LetterError,
    LetterRule,
    check_letter,
)

DRAFT = LetterDraft(subject="Uw aanslag", body="Beste mevrouw,", reference="2026-001")


def rule_of(draft: LetterDraft) -> LetterRule | None:
    try:
        check_letter(draft)
    except LetterError as error:
        return error.rule
    return None


def test_a_plain_letter_passes() -> None:
    assert rule_of(DRAFT) is None


@pytest.mark.parametrize(
    ("field", "limit", "rule"),
    [
        ("subject", MAX_SUBJECT_LENGTH, LetterRule.SUBJECT_TOO_LONG),
        ("body", MAX_BODY_LENGTH, LetterRule.BODY_TOO_LONG),
        ("reference", MAX_REFERENCE_LENGTH, LetterRule.REFERENCE_TOO_LONG),
    ],
)
def test_length_limits_hold_at_the_exact_edge(field: str, limit: int, rule: LetterRule) -> None:
    assert rule_of(replace(DRAFT, **{field: "a" * limit})) is None
    assert rule_of(replace(DRAFT, **{field: "a" * (limit + 1)})) is rule


def test_limits_are_the_ones_in_the_rules() -> None:
    assert (MAX_SUBJECT_LENGTH, MAX_BODY_LENGTH, MAX_REFERENCE_LENGTH) == (50, 4000, 25)


@pytest.mark.parametrize(
    ("field", "rule"),
    [
        ("subject", LetterRule.SUBJECT_MISSING),
        ("body", LetterRule.BODY_MISSING),
        ("reference", LetterRule.REFERENCE_MISSING),
    ],
)
def test_blank_fields_are_refused(field: str, rule: LetterRule) -> None:
    assert rule_of(replace(DRAFT, **{field: "   "})) is rule


def test_an_action_needs_a_date() -> None:
    assert rule_of(replace(DRAFT, action="Betaal")) is LetterRule.ACTION_WITHOUT_DATE
    assert rule_of(replace(DRAFT, action="Betaal", act_by=date(2026, 12, 31))) is None


def test_sender_link_must_be_https() -> None:
    assert rule_of(replace(DRAFT, sender_url="http://example.nl")) is LetterRule.URL_NOT_HTTPS
    assert rule_of(replace(DRAFT, sender_url="javascript:alert(1)")) is LetterRule.URL_NOT_HTTPS
    assert rule_of(replace(DRAFT, sender_url="https://www.belastingdienst.nl")) is None


def test_what_happens_if_not_done_needs_an_action_and_fits_its_limit() -> None:
    asked = replace(DRAFT, action="Betaal", act_by=date(2026, 12, 31))
    assert rule_of(replace(asked, if_not_done="Dan krijgt u een herinnering.")) is None
    assert rule_of(replace(DRAFT, if_not_done="Dan krijgt u een herinnering.")) is LetterRule.IF_NOT_DONE_WITHOUT_ACTION
    assert rule_of(replace(asked, if_not_done="   ")) is LetterRule.IF_NOT_DONE_WITHOUT_ACTION
    assert rule_of(replace(asked, if_not_done="a" * MAX_IF_NOT_DONE_LENGTH)) is None
    assert rule_of(replace(asked, if_not_done="a" * (MAX_IF_NOT_DONE_LENGTH + 1))) is LetterRule.IF_NOT_DONE_TOO_LONG
