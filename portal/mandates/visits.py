"""Assisted sessions at a help desk: one visit, ended by the staff or after 60 minutes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from portal.domain import mandates
from portal.mandates import notices
from portal.models import EndReason, Mandate, MandateKind


def end_visit_if_assisted(db: Session, mandate_id: uuid.UUID, staff_id: int, now: datetime) -> None:
    """Stopping to act for someone at a help desk ends the visit: the mandate is not reused."""
    mandate = db.get(Mandate, mandate_id)
    if mandate is None or mandate.kind is not MandateKind.ASSISTED or mandate.helper_id != staff_id:
        return
    if mandates.end(db, mandate, by_id=staff_id, reason=EndReason.VISIT_ENDED, now=now):
        notices.ended(db, mandate, now)
