"""Words for scopes, roles and states, in one place for pages, banner and letters."""

from __future__ import annotations

from flask_babel import lazy_gettext

from portal.models import EndReason, LegalRole
from portal.policy import MandateState, Scope

SCOPE_LABELS = {
    Scope.READ_LETTERS: lazy_gettext("berichten lezen"),
    Scope.MANAGE_LETTERS: lazy_gettext("berichten archiveren"),
    Scope.VIEW_CASES: lazy_gettext("lopende zaken bekijken"),
    Scope.VIEW_PERSONAL_DATA: lazy_gettext("persoonlijke gegevens bekijken"),
    Scope.CHANGE_SETTINGS: lazy_gettext("instellingen wijzigen"),
    Scope.MANAGE_MANDATES: lazy_gettext("machtigingen regelen"),
}

ROLE_LABELS = {
    LegalRole.BEWINDVOERDER: lazy_gettext("bewindvoerder"),
    LegalRole.CURATOR: lazy_gettext("curator"),
    LegalRole.MENTOR: lazy_gettext("mentor"),
}

STATE_LABELS = {
    MandateState.PENDING: lazy_gettext("Wacht op antwoord"),
    MandateState.FUTURE: lazy_gettext("Begint later"),
    MandateState.ACTIVE: lazy_gettext("Geldig"),
    MandateState.EXPIRED: lazy_gettext("Verlopen"),
    MandateState.ENDED: lazy_gettext("Gestopt"),
}

END_REASON_LABELS = {
    EndReason.REVOKED: lazy_gettext("gestopt door de persoon die hulp krijgt"),
    EndReason.RETURNED: lazy_gettext("teruggegeven door de helper"),
    EndReason.DECLINED: lazy_gettext("niet geaccepteerd"),
    EndReason.WITHDRAWN: lazy_gettext("ingetrokken voordat er een antwoord was"),
    EndReason.ENDED_BY_ADMIN: lazy_gettext("gestopt door de beheerder"),
    EndReason.VISIT_ENDED: lazy_gettext("het bezoek aan de balie is klaar"),
    EndReason.REPRESENTATION_ENDED: lazy_gettext("wie hem regelde, mag niets meer doen"),
}


def scope_list(scopes) -> str:  # type: ignore[no-untyped-def]
    """The scopes as words, in the fixed order, joined by commas."""
    return ", ".join(str(SCOPE_LABELS[scope]) for scope in Scope if scope in scopes)
