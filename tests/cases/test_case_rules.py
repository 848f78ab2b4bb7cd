"""The rules of a case (portal.domain.cases): limits at their exact edges, order, closing,
references unique per organisation, linked letters."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from portal.domain import cases
from portal.domain.cases import (
    MAX_ACTION_LENGTH,
    MAX_REFERENCE_LENGTH,
    MAX_STATUS_TEXT_LENGTH,
    MAX_STEP_NAME_LENGTH,
    MAX_STEPS,
    MAX_TITLE_LENGTH,
    CaseError,
    CaseRule,
    close_case,
    find_case_for_organisation,
    link_letter,
    post_status,
)
from portal.domain.letters import LetterDraft, place_letter
from portal.models import Case, CaseStatus, Letter
from tests.cases.conftest import STEPS

ACT_BY = date(2030, 1, 15)


def refused(rule: CaseRule) -> AbstractContextManager[object]:
    return pytest.raises(CaseError, match=f"^{rule.value}$")


def status(db: Session, case: Case, at: datetime, *, step: int = 2, text: str = "Wij kijken ernaar.",
           action: str | None = None, act_by: date | None = None,
           if_not_done: str | None = None):  # type: ignore[no-untyped-def]
    return post_status(db, case, step=step, text=text, action=action, act_by=act_by, at=at,
                       if_not_done=if_not_done)


# -- opening -------------------------------------------------------------------------------


def test_a_new_case_is_open_at_its_first_step_and_new_to_the_citizen(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    db.commit()
    db.expire_all()
    stored = db.get(Case, case.id)
    assert stored.status == CaseStatus.OPEN
    assert stored.current_step == 1
    assert [(s.position, s.name) for s in stored.steps] == list(enumerate(STEPS, 1))
    assert stored.current_step_name == "Aanvraag ontvangen"
    assert stored.action is None and stored.act_by is None and stored.closed_at is None
    assert stored.is_new and stored.is_changed
    assert stored.changes == []


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("title", "", CaseRule.TITLE_MISSING),
        ("title", "   ", CaseRule.TITLE_MISSING),
        ("title", "t" * (MAX_TITLE_LENGTH + 1), CaseRule.TITLE_TOO_LONG),
        ("reference", "", CaseRule.REFERENCE_MISSING),
        ("reference", "r" * (MAX_REFERENCE_LENGTH + 1), CaseRule.REFERENCE_TOO_LONG),
        ("steps", [], CaseRule.STEPS_MISSING),
        ("steps", [f"Stap {i}" for i in range(MAX_STEPS + 1)], CaseRule.TOO_MANY_STEPS),
        ("steps", ["Aanvraag ontvangen", " "], CaseRule.STEP_NAME_MISSING),
        ("steps", ["s" * (MAX_STEP_NAME_LENGTH + 1)], CaseRule.STEP_NAME_TOO_LONG),
    ],
)
def test_opening_refuses_what_breaks_a_limit(db, new_case, field, value, rule) -> None:  # type: ignore[no-untyped-def]
    with refused(rule):
        new_case(**{field: value})
    assert db.query(Case).count() == 0


def test_opening_accepts_every_limit_exactly(db, new_case) -> None:  # type: ignore[no-untyped-def]
    case = new_case(
        title="t" * MAX_TITLE_LENGTH,
        reference="r" * MAX_REFERENCE_LENGTH,
        steps=["s" * MAX_STEP_NAME_LENGTH] * MAX_STEPS,
    )
    db.commit()
    assert len(db.get(Case, case.id).steps) == MAX_STEPS
    assert MAX_TITLE_LENGTH == 80 and MAX_REFERENCE_LENGTH == 25 and MAX_STEPS == 10


def test_one_step_is_enough(new_case) -> None:  # type: ignore[no-untyped-def]
    assert new_case(steps=["Besluit"]).step_count == 1


def test_a_reference_is_unique_per_organisation(db, new_case, other_box, other_organisation) -> None:  # type: ignore[no-untyped-def]
    new_case(reference="HT-1")
    # Not again for this organisation, not even in another box.
    with refused(CaseRule.REFERENCE_TAKEN):
        new_case(reference="HT-1")
    with refused(CaseRule.REFERENCE_TAKEN):
        new_case(reference="HT-1", account_id=other_box.id)
    # Another organisation may use the same reference.
    theirs = new_case(reference="HT-1", organisation_id=other_organisation.id)
    db.commit()
    assert find_case_for_organisation(db, other_organisation.id, "HT-1") == theirs


def test_two_requests_racing_for_a_reference_get_the_rule_not_a_database_error(
    db, new_case, box, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    first = new_case(reference="HT-1")
    db.commit()
    # The second request checked before the first one committed: its check saw nothing.
    real = cases.find_case_for_organisation
    calls: list[object] = []

    def blind_the_first_time(*args):  # type: ignore[no-untyped-def]
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(cases, "find_case_for_organisation", blind_the_first_time)
    with refused(CaseRule.REFERENCE_TAKEN):
        new_case(reference="HT-1", title="Dubbel")
    # Only the refused case was undone; the request's transaction goes on.
    other = new_case(reference="HT-2")
    db.commit()
    assert {c.id for c in db.query(Case)} == {first.id, other.id}
    assert db.get(type(box), box.id) is not None


def test_find_case_for_organisation(db, new_case, organisation, other_organisation) -> None:  # type: ignore[no-untyped-def]
    case = new_case(reference="HT-7")
    db.commit()
    assert find_case_for_organisation(db, organisation.id, "HT-7") == case
    assert find_case_for_organisation(db, organisation.id, "HT-8") is None
    assert find_case_for_organisation(db, other_organisation.id, "HT-7") is None


# -- status changes ------------------------------------------------------------------------


def test_a_status_moves_the_case_and_asks_for_an_action(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    at = start + timedelta(days=3)
    change = status(db, case, at, step=2, text="Wij missen uw huurcontract.",
                    action="Stuur uw huurcontract.", act_by=ACT_BY)
    db.commit()
    db.expire_all()
    stored = db.get(Case, case.id)
    assert stored.current_step == 2
    assert (stored.action, stored.act_by) == ("Stuur uw huurcontract.", ACT_BY)
    assert stored.changes[0].id == change.id
    assert (stored.changes[0].step, stored.changes[0].text) == (2, "Wij missen uw huurcontract.")
    assert stored.is_changed


def test_a_status_without_action_ends_the_action_asked_before(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    status(db, case, start + timedelta(days=1), action="Stuur uw huurcontract.", act_by=ACT_BY)
    status(db, case, start + timedelta(days=2), step=3, text="Wij hebben het ontvangen.")
    db.commit()
    assert case.action is None and case.act_by is None
    assert [c.text for c in case.changes] == ["Wij hebben het ontvangen.", "Wij kijken ernaar."]


@pytest.mark.parametrize("step", [0, -1, len(STEPS) + 1])
def test_a_step_out_of_range_is_refused(db, new_case, start, step) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    with refused(CaseRule.STEP_OUT_OF_RANGE):
        status(db, case, start + timedelta(days=1), step=step)
    assert case.current_step == 1 and case.changes == []


@pytest.mark.parametrize("step", [1, len(STEPS)])
def test_the_first_and_last_step_are_in_range(db, new_case, start, step) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    status(db, case, start + timedelta(days=1), step=step)
    assert case.current_step == step


@pytest.mark.parametrize(
    ("text", "action", "act_by", "rule"),
    [
        ("", None, None, CaseRule.TEXT_MISSING),
        ("  \n", None, None, CaseRule.TEXT_MISSING),
        ("x" * (MAX_STATUS_TEXT_LENGTH + 1), None, None, CaseRule.TEXT_TOO_LONG),
        ("Tekst", " ", ACT_BY, CaseRule.ACTION_MISSING),
        ("Tekst", "a" * (MAX_ACTION_LENGTH + 1), ACT_BY, CaseRule.ACTION_TOO_LONG),
        ("Tekst", "Stuur uw huurcontract.", None, CaseRule.ACTION_WITHOUT_DATE),
        ("Tekst", None, ACT_BY, CaseRule.DATE_WITHOUT_ACTION),
    ],
)
def test_a_status_that_breaks_a_rule_is_refused(db, new_case, start, text, action, act_by, rule) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    with refused(rule):
        status(db, case, start + timedelta(days=1), text=text, action=action, act_by=act_by)
    assert case.changes == [] and case.updated_at == start


def test_a_status_accepts_every_limit_exactly(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    status(db, case, start + timedelta(days=1), text="x" * MAX_STATUS_TEXT_LENGTH,
           action="a" * MAX_ACTION_LENGTH, act_by=ACT_BY)
    db.commit()
    db.expire_all()
    stored = db.get(Case, case.id)
    assert len(stored.changes[0].text) == MAX_STATUS_TEXT_LENGTH == 1000
    assert len(stored.action) == MAX_ACTION_LENGTH == 200


def test_changes_come_in_order(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    with refused(CaseRule.OUT_OF_ORDER):
        status(db, case, start - timedelta(seconds=1))
    status(db, case, start)  # at the same moment as the last change is fine
    status(db, case, start + timedelta(days=2))
    with refused(CaseRule.OUT_OF_ORDER):
        status(db, case, start + timedelta(days=1))


# -- closing -------------------------------------------------------------------------------


def test_closing_keeps_the_history_and_ends_the_action(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    status(db, case, start + timedelta(days=1), action="Stuur uw huurcontract.", act_by=ACT_BY)
    closed_at = start + timedelta(days=5)
    close_case(db, case, text="U krijgt huurtoeslag.", at=closed_at)
    db.commit()
    db.expire_all()
    stored = db.get(Case, case.id)
    assert stored.status == CaseStatus.CLOSED and not stored.is_open
    assert stored.closed_at is not None and stored.updated_at == stored.closed_at
    assert stored.action is None and stored.act_by is None
    assert [c.text for c in stored.changes] == ["U krijgt huurtoeslag.", "Wij kijken ernaar."]
    assert stored.changes[0].step == stored.current_step == 2


def test_closing_without_a_text_adds_no_history_line(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    close_case(db, case, text=None, at=start + timedelta(days=1))
    assert case.status == CaseStatus.CLOSED and case.changes == []


def test_a_closed_case_takes_no_status_and_is_not_closed_again(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    close_case(db, case, text="Afgerond.", at=start + timedelta(days=1))
    with refused(CaseRule.CASE_CLOSED):
        status(db, case, start + timedelta(days=2))
    with refused(CaseRule.CASE_CLOSED):
        close_case(db, case, text=None, at=start + timedelta(days=2))
    assert len(case.changes) == 1


@pytest.mark.parametrize(
    ("text", "rule"),
    [(" ", CaseRule.TEXT_MISSING), ("x" * (MAX_STATUS_TEXT_LENGTH + 1), CaseRule.TEXT_TOO_LONG)],
)
def test_a_closing_text_keeps_the_limits(db, new_case, start, text, rule) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    with refused(rule):
        close_case(db, case, text=text, at=start + timedelta(days=1))
    assert case.is_open


def test_closing_comes_in_order_too(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    with refused(CaseRule.OUT_OF_ORDER):
        close_case(db, case, text=None, at=start - timedelta(days=1))


# -- linked letters ------------------------------------------------------------------------


def _letter(db: Session, account_id: int, organisation_id: int, at: datetime) -> Letter:
    draft = LetterDraft(subject="Besluit huurtoeslag", body="U krijgt huurtoeslag.", reference="HT-B")
    return place_letter(db, account_id=account_id, organisation_id=organisation_id, draft=draft,
                        placed_at=at)


def test_a_letter_of_the_same_organisation_in_the_same_box_is_linked_once(
    db, new_case, box, organisation, start
) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    letter = _letter(db, box.id, organisation.id, start + timedelta(days=1))
    first = link_letter(db, case, letter)
    again = link_letter(db, case, letter)
    db.commit()
    assert first.id == again.id
    assert cases.linked_letters(db, case) == [letter]
    # A link is not a change: the letter itself is new in the Berichtenbox.
    assert case.updated_at == start


def test_a_letter_from_another_box_or_organisation_is_refused(
    db, new_case, other_box, organisation, other_organisation, box, start
) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    theirs = _letter(db, other_box.id, organisation.id, start)
    with refused(CaseRule.LETTER_NOT_IN_BOX):
        link_letter(db, case, theirs)
    other_sender = _letter(db, box.id, other_organisation.id, start)
    with refused(CaseRule.LETTER_FROM_OTHER_ORGANISATION):
        link_letter(db, case, other_sender)
    assert cases.linked_letters(db, case) == []


def test_a_closed_case_can_still_get_its_decision_letter(db, new_case, box, organisation, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    close_case(db, case, text="U krijgt huurtoeslag.", at=start + timedelta(days=1))
    letter = _letter(db, box.id, organisation.id, start + timedelta(days=1))
    link_letter(db, case, letter)
    assert cases.linked_letters(db, case) == [letter]


def test_the_rule_codes_are_stable() -> None:
    # The organisation API returns these codes: changing one breaks its clients.
    assert {rule.value for rule in CaseRule} == {
        "title_missing", "title_too_long", "reference_missing", "reference_too_long",
        "reference_taken", "steps_missing", "too_many_steps", "step_name_missing",
        "step_name_too_long", "step_out_of_range", "text_missing", "text_too_long",
        "action_missing", "action_too_long", "action_without_date", "date_without_action",
        "case_closed", "at_before_last_change", "letter_not_in_box",
        "letter_from_other_organisation", "if_not_done_too_long", "if_not_done_without_action",
    }


def test_what_happens_if_not_done_follows_the_newest_change_and_ends_with_the_case(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    consequence = "Dan kunnen wij geen besluit nemen."
    status(db, case, start + timedelta(days=1), action="Stuur uw huurcontract.", act_by=ACT_BY,
           if_not_done=consequence)
    assert (case.if_not_done, case.changes[0].if_not_done) == (consequence, consequence)
    status(db, case, start + timedelta(days=2))  # a new status without an action ends it
    assert case.if_not_done is None
    status(db, case, start + timedelta(days=3), action="Bel ons.", act_by=ACT_BY, if_not_done=consequence)
    cases.close_case(db, case, text="Klaar.", at=start + timedelta(days=4))
    assert case.if_not_done is None


@pytest.mark.parametrize(
    ("action", "if_not_done", "rule"),
    [
        (None, "Dan kunnen wij geen besluit nemen.", CaseRule.IF_NOT_DONE_WITHOUT_ACTION),
        ("Bel ons.", " ", CaseRule.IF_NOT_DONE_WITHOUT_ACTION),
        ("Bel ons.", "a" * (cases.MAX_IF_NOT_DONE_LENGTH + 1), CaseRule.IF_NOT_DONE_TOO_LONG),
    ],
)
def test_what_happens_if_not_done_is_checked(db, new_case, start, action, if_not_done, rule) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    with refused(rule):
        status(db, case, start + timedelta(days=1), action=action, act_by=ACT_BY if action else None,
               if_not_done=if_not_done)
