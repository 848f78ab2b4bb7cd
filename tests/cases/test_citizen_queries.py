"""The citizen's view of cases: lists in their order, scoping to the box, seen and changed."""

from __future__ import annotations

import uuid
from datetime import timedelta

from portal.domain import cases
from portal.domain.cases import StepState, close_case, post_status
from portal.domain.letters import LetterDraft, place_letter
from portal.models import CaseLetter
from portal.timeutil import utcnow


def _status(db, case, at, step=2, text="Wij kijken ernaar."):  # type: ignore[no-untyped-def]
    return post_status(db, case, step=step, text=text, action=None, act_by=None, at=at)


def test_running_cases_changed_first_then_newest_change(db, new_case, box, start) -> None:  # type: ignore[no-untyped-def]
    seen_older = new_case(title="Gezien, ouder", opened_at=start)
    seen_newer = new_case(title="Gezien, nieuwer", opened_at=start + timedelta(days=5))
    changed_older = new_case(title="Gewijzigd, ouder", opened_at=start + timedelta(days=2))
    changed_newer = new_case(title="Gewijzigd, nieuwer", opened_at=start + timedelta(days=1))
    closed = new_case(title="Afgerond")
    close_case(db, closed, text=None, at=start + timedelta(days=4))
    for case in (seen_older, seen_newer, changed_newer):
        cases.mark_seen(db, case)
    # Changed after it was seen: the newest change of all.
    _status(db, changed_newer, utcnow() + timedelta(seconds=1))
    db.commit()
    titles = [c.title for c in cases.running_cases(db, box.id)]
    assert titles == ["Gewijzigd, nieuwer", "Gewijzigd, ouder", "Gezien, nieuwer", "Gezien, ouder"]
    assert [c.title for c in cases.closed_cases(db, box.id)] == ["Afgerond"]


def test_closed_cases_most_recently_closed_first(db, new_case, box, start) -> None:  # type: ignore[no-untyped-def]
    for days, title in ((3, "Eerder"), (6, "Later"), (1, "Eerst")):
        case = new_case(title=title)
        close_case(db, case, text=None, at=start + timedelta(days=days))
    db.commit()
    assert [c.title for c in cases.closed_cases(db, box.id)] == ["Later", "Eerder", "Eerst"]
    assert cases.running_cases(db, box.id) == []


def test_lists_and_find_are_scoped_to_the_box(db, new_case, box, other_box) -> None:  # type: ignore[no-untyped-def]
    mine = new_case()
    theirs = new_case(account_id=other_box.id)
    db.commit()
    assert cases.running_cases(db, box.id) == [mine]
    assert cases.running_cases(db, other_box.id) == [theirs]
    assert cases.find_case(db, box.id, mine.id) == mine
    assert cases.find_case(db, box.id, theirs.id) is None
    assert cases.find_case(db, box.id, uuid.uuid4()) is None


def test_seen_until_the_next_change(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    assert case.is_new and case.is_changed
    cases.mark_seen(db, case)
    db.commit()
    assert not case.is_new and not case.is_changed
    _status(db, case, utcnow() + timedelta(seconds=1))
    assert case.is_changed and not case.is_new
    cases.mark_seen(db, case)
    assert not case.is_changed


def test_a_change_dated_ahead_of_the_clock_does_not_stay_changed(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    _status(db, case, utcnow() + timedelta(hours=2))
    cases.mark_seen(db, case)
    db.commit()
    db.expire_all()
    assert not case.is_changed


def test_changes_since_the_previous_visit(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    before = _status(db, case, start + timedelta(days=1), text="Eerder")
    after = _status(db, case, start + timedelta(days=3), text="Later")
    db.flush()
    assert cases.changes_since(case, start + timedelta(days=2)) == {after.id}
    assert cases.changes_since(case, start) == {before.id, after.id}
    # Never looked: all is new, so nothing is pointed out.
    assert cases.changes_since(case, None) == set()


def test_step_states_of_a_running_and_a_closed_case(db, new_case, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case(steps=["Ontvangen", "Controleren", "Besluit", "Uitbetalen"])
    _status(db, case, start + timedelta(days=1), step=2)
    assert [state for _, state in cases.step_states(case)] == [
        StepState.DONE, StepState.CURRENT, StepState.TO_COME, StepState.TO_COME,
    ]
    close_case(db, case, text="U heeft uw aanvraag ingetrokken.", at=start + timedelta(days=2))
    assert [state for _, state in cases.step_states(case)] == [
        StepState.DONE, StepState.DONE, StepState.NOT_NEEDED, StepState.NOT_NEEDED,
    ]


def test_linked_letters_only_from_the_cases_own_box(db, new_case, other_box, organisation, start) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    draft = LetterDraft(subject="Niet van u", body="Tekst", reference="X-1")
    theirs = place_letter(db, account_id=other_box.id, organisation_id=organisation.id,
                          draft=draft, placed_at=start)
    db.flush()
    # Even a link made past link_letter's rules does not show another box's letter.
    db.add(CaseLetter(case_id=case.id, letter_id=theirs.id))
    db.commit()
    assert cases.linked_letters(db, case) == []
