"""Letters the portal itself sends to a citizen's Berichtenbox (about mandates, for example).

They come from the portal's own sender, which is not an organisation a citizen subscribes to:
it is left out of the subscription choices, and its letters need no subscription.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.letters import LetterDraft, place_letter
from portal.domain.notifications import notify_new_letter
from portal.models import Letter, Organisation, OrganisationKind
from portal.models.organisation import PORTAL_OIN

PORTAL_SENDER_NAME = "Burgerportaal"


def portal_sender(session: Session) -> Organisation:
    """The portal's own sender, created at first use."""
    found = session.scalar(select(Organisation).where(Organisation.oin == PORTAL_OIN))
    if found is None:
        found = Organisation(
            oin=PORTAL_OIN, name=PORTAL_SENDER_NAME, kind=OrganisationKind.CENTRAL_GOVERNMENT, website=""
        )
        session.add(found)
        session.flush()
    return found


def send(
    session: Session, *, account_id: int, subject: str, body: str, reference: str, at: datetime
) -> Letter:
    """Place a letter from the portal in this box and queue its e-mail (R6). The caller commits.

    Always "not for helpers": they are about the citizen's own account (who may act for them,
    activation codes), so a helper can neither read nor archive them.
    """
    letter = place_letter(
        session,
        account_id=account_id,
        organisation_id=portal_sender(session).id,
        draft=LetterDraft(subject=subject[:50], body=body, reference=reference[:25], not_for_helpers=True),
        placed_at=at,
    )
    session.flush()
    notify_new_letter(session, letter)
    return letter
