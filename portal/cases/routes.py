from __future__ import annotations

import uuid

from flask import abort, render_template

from portal import acting, policy
from portal.cases import bp
from portal.db import get_session
from portal.domain import cases


@bp.get("/")
def index() -> str:
    box = acting.current().box_account_id
    db = get_session()
    return render_template(
        "views/cases/index.html",
        running=cases.running_cases(db, box),
        closed=cases.closed_cases(db, box),
    )


@bp.get("/<uuid:case_id>")
def case(case_id: uuid.UUID) -> str:
    db = get_session()
    who = acting.current()
    # 404 (not 403) for a case in someone else's box: its existence is not revealed.
    found = cases.find_case(db, who.box_account_id, case_id)
    if found is None:
        abort(404)
    # Remember the last visit before recording this one, to point out what is new since.
    new_changes = cases.changes_since(found, found.seen_at)
    # A helper sees only the linked letters their mandate lets them open.
    letters = policy.readable_letters(who.grant, cases.linked_letters(db, found))
    cases.mark_seen(db, found)
    db.commit()
    return render_template(
        "views/cases/case.html",
        case=found,
        steps=cases.step_states(found),
        letters=letters,
        new_changes=new_changes,
    )
