from __future__ import annotations

from flask import render_template

from portal import acting
from portal.domain.bsn import mask_bsn
from portal.profile import bp


@bp.get("/gegevens")
def index() -> str:
    person = acting.current().owner.person
    return render_template("views/profile/index.html", person=person, masked_bsn=mask_bsn(person.bsn))
