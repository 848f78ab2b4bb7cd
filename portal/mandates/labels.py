"""Words for scopes, roles and states, in one place for pages, banner and letters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.models import EndReason, LegalRole
from portal.policy import MandateState, Scope

SCOPE_LABELS = {
    Scope.READ_LETTERS: _l("berichten lezen"),
    Scope.MANAGE_LETTERS: _l("berichten archiveren"),
    Scope.VIEW_CASES: _l("lopende zaken bekijken"),
    Scope.VIEW_PERSONAL_DATA: _l("persoonlijke gegevens bekijken"),
    Scope.CHANGE_SETTINGS: _l("instellingen wijzigen"),
    Scope.MANAGE_MANDATES: _l("machtigingen regelen"),
}

ROLE_LABELS = {
    LegalRole.BEWINDVOERDER: _l("bewindvoerder"),
    LegalRole.CURATOR: _l("curator"),
    LegalRole.MENTOR: _l("mentor"),
}

STATE_LABELS = {
    MandateState.PENDING: _l("Wacht op antwoord"),
    MandateState.FUTURE: _l("Begint later"),
    MandateState.ACTIVE: _l("Geldig"),
    MandateState.EXPIRED: _l("Verlopen"),
    MandateState.ENDED: _l("Gestopt"),
}

END_REASON_LABELS = {
    EndReason.REVOKED: _l("gestopt door de volmachtgever"),
    EndReason.RETURNED: _l("teruggegeven door de helper"),
    EndReason.DECLINED: _l("niet geaccepteerd"),
    EndReason.WITHDRAWN: _l("ingetrokken voordat er een antwoord was"),
    EndReason.ENDED_BY_ADMIN: _l("gestopt door de beheerder"),
    EndReason.VISIT_ENDED: _l("het bezoek aan de balie is klaar"),
}


def scope_list(scopes) -> str:  # type: ignore[no-untyped-def]
    """The scopes as words, in the fixed order, joined by commas."""
    return ", ".join(str(SCOPE_LABELS[scope]) for scope in Scope if scope in scopes)
