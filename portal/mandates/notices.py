"""Letters to the citizen about their mandates: given, first used, about to end, ended.

They go to the citizen's own Berichtenbox (with the usual e-mail, when they have one).
The text is in Dutch, like every letter in the box, and comes from the catalogue.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal import policy
from portal.domain import mandates, portal_letters, visits
from portal.mandates.labels import scope_list
from portal.models import EndReason, Mandate, MandateKind

# Letters in the box are in Dutch (the language of the senders' letters too).
LETTER_LANGUAGE = "nl"


def reference(mandate: Mandate, event: str) -> str:
    """The reference of a letter about this mandate: one letter per kind of event."""
    return f"MACHT-{event}-{mandate.id.hex[:8].upper()}"


def _until(mandate: Mandate) -> str:
    if mandate.ends_at is None:
        return _("tot de rechter de beslissing stopt")
    return _("tot en met %(date)s", date=format_date(mandates.last_day(mandate), format="long"))


def _send(db: Session, mandate: Mandate, event: str, subject: str, body: str, now: datetime) -> None:
    portal_letters.send(
        db, account_id=mandate.giver_id, subject=subject, body=body, reference=reference(mandate, event), at=now
    )


def given(db: Session, mandate: Mandate, now: datetime) -> None:
    """The mandate was given (or a representative registered, or a visit agreed)."""
    with force_locale(LETTER_LANGUAGE):
        helper = mandate.helper.person.full_name
        what = scope_list(policy.scopes_of(mandate))
        if mandate.kind is MandateKind.ASSISTED:
            subject = _("Iemand van de balie helpt u")
            body = _(
                "%(helper)s van %(desk)s mag nu voor u in Burgerportaal kijken. Dit mag voor dit "
                "bezoek, hooguit %(minutes)s minuten. Dit mag %(helper)s: %(what)s.",
                helper=helper, desk=mandate.desk_name or "", what=what, minutes=visits.VISIT_MINUTES,
            )
        else:
            subject = _("Iemand mag dingen voor u doen")
            body = _(
                "%(helper)s mag dingen voor u doen in Burgerportaal, %(until)s. Dit mag %(helper)s: "
                "%(what)s. U ziet alles wat %(helper)s voor u doet op de pagina 'Wat anderen voor "
                "mij deden'. Wilt u dit niet meer? Ga naar Machtigingen en kies 'Stoppen'.",
                helper=helper, until=_until(mandate), what=what,
            )
        _send(db, mandate, "G", subject, body, now)


def changed(db: Session, mandate: Mandate, now: datetime) -> None:
    """The citizen (or their representative) changed what the mandate gives, or until when."""
    with force_locale(LETTER_LANGUAGE):
        helper = mandate.helper.person.full_name
        what = scope_list(policy.scopes_of(mandate))
        subject = _("Uw machtiging is gewijzigd")
        body = _(
            "De machtiging van %(helper)s is gewijzigd. Dit mag %(helper)s nu voor u doen: "
            "%(what)s. Dit geldt vanaf %(first)s, %(until)s.",
            helper=helper, what=what, first=format_date(mandates.first_day(mandate), format="long"),
            until=_until(mandate),
        )
        if policy.Scope.READ_LETTERS in policy.scopes_of(mandate) and mandate.letter_organisations:
            body += " " + _(
                "%(helper)s mag alleen berichten lezen van: %(names)s.",
                helper=helper, names=", ".join(o.name for o in mandate.letter_organisations),
            )
        body += " " + _(
            "Het geldt meteen. Klopt dit niet? Ga naar Machtigingen. Daar kunt u de machtiging "
            "wijzigen of stoppen."
        )
        _send(db, mandate, "W", subject, body, now)


def first_used(db: Session, mandate: Mandate, now: datetime) -> None:
    """The helper acted for the citizen for the first time under this mandate."""
    if mandate.first_used_at is not None:
        return
    mandate.first_used_at = now
    with force_locale(LETTER_LANGUAGE):
        helper = mandate.helper.person.full_name
        subject = _("%(helper)s deed iets voor u", helper=helper)
        body = _(
            "%(helper)s heeft voor het eerst iets voor u gedaan in Burgerportaal. Kijk op de "
            "pagina 'Wat anderen voor mij deden' wat %(helper)s deed. Klopt er iets niet? Stop "
            "de machtiging dan meteen bij Machtigingen.",
            helper=helper,
        )
        _send(db, mandate, "U", subject, body, now)


def expiring(db: Session, mandate: Mandate, now: datetime) -> None:
    """The mandate ends within 30 days (``portal.domain.mandates.EXPIRY_WARNING_DAYS``)."""
    mandate.expiry_warned_at = now
    with force_locale(LETTER_LANGUAGE):
        helper = mandate.helper.person.full_name
        subject = _("Uw machtiging stopt binnenkort")
        body = _(
            "%(helper)s mag dingen voor u doen %(until)s. Daarna stopt dat vanzelf. Wilt u dat "
            "%(helper)s u daarna ook helpt? Geef dan een nieuwe machtiging bij Machtigingen.",
            helper=helper, until=_until(mandate),
        )
        _send(db, mandate, "E", subject, body, now)


def ended(db: Session, mandate: Mandate, now: datetime) -> None:
    """The mandate ended early (by either side, an administrator, or the end of a visit)."""
    if mandate.accepted_at is None:
        return  # it never gave anything: no letter about it
    with force_locale(LETTER_LANGUAGE):
        helper = mandate.helper.person.full_name
        subject = _("Een machtiging is gestopt")
        body = _(
            "%(helper)s mag vanaf nu niets meer voor u doen in Burgerportaal. Wat %(helper)s "
            "voor u deed, ziet u nog op de pagina 'Wat anderen voor mij deden'.",
            helper=helper,
        )
        if mandate.end_reason is EndReason.REPRESENTATION_ENDED:
            body += " " + _(
                "Deze machtiging was geregeld door iemand die de rechter voor u had gekozen. Die "
                "mag nu niets meer voor u doen. Daarom stopt deze machtiging ook. Wilt u dat "
                "%(helper)s u blijft helpen? Geef dan zelf een nieuwe machtiging.",
                helper=helper,
            )
        _send(db, mandate, "S", subject, body, now)
