"""Letters about an open offer or request: the activation-code letter to the citizen, and
the note to a helper that someone wants to give them a mandate.

Like ``portal.mandates.notices``: in Dutch, from the catalogue, sent by the portal itself.
The code letter is marked "not for helpers": someone who already helps the citizen must
never read the code and approve their own request.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal import policy
from portal.domain import mandates, portal_letters
from portal.domain.letters import MAX_SUBJECT_LENGTH
from portal.mandates.labels import scope_list
from portal.mandates.notices import LETTER_LANGUAGE, reference
from portal.models import Letter, Mandate

# Paragraphs of a letter; the letter pages keep line breaks.
PARAGRAPH = "\n\n"


def _long(day) -> str:  # type: ignore[no-untyped-def]
    return format_date(day, format="long")


def _what(mandate: Mandate) -> str:
    """The scopes, and which letters, in one sentence."""
    what = scope_list(policy.scopes_of(mandate))
    if policy.Scope.READ_LETTERS in policy.scopes_of(mandate) and mandate.letter_organisations:
        names = ", ".join(o.name for o in mandate.letter_organisations)
        return _("%(what)s (alleen berichten van: %(names)s)", what=what, names=names)
    return what


def _terms(mandate: Mandate) -> dict[str, str]:
    """What the helper may do and from which day to which: the values every letter names."""
    return {"what": _what(mandate), "first": _long(mandates.first_day(mandate)),
            "last": _long(mandates.last_day(mandate))}


def _to_helper(db: Session, mandate: Mandate, code: str, subject: str, paragraphs: list[str],
               now: datetime) -> Letter:
    """Send a letter to the helper of ``mandate``; ``code`` tells the letters apart."""
    return portal_letters.send(
        db, account_id=mandate.helper_id, subject=subject, body=PARAGRAPH.join(paragraphs),
        reference=reference(mandate, code), at=now,
    )


def activation_code(db: Session, mandate: Mandate, code: str | None, now: datetime) -> Letter:
    """Tell the citizen who asks for what, and give the one-time code (b). Without a code
    (``None``: this helper already used all tries on this citizen, ``mandates.tries_used``)
    the letter only says how to approve online."""
    with force_locale(LETTER_LANGUAGE):
        helper = mandate.helper.person.full_name
        # The last whole Dutch day on which the code still works.
        code_until = mandates.today_in_nl(now) + timedelta(days=mandates.ACTIVATION_CODE_DAYS - 1)
        subject = _("%(helper)s vraagt om een machtiging", helper=helper)
        if len(subject) > MAX_SUBJECT_LENGTH:
            subject = _("Iemand vraagt u om een machtiging")
        asked = _("%(helper)s vraagt of hij of zij dingen voor u mag doen in Burgerportaal. Dit wil "
                  "%(helper)s mogen: %(what)s. Van %(first)s tot en met %(last)s.",
                  helper=helper, **_terms(mandate))
        if code is None:
            how = [
                _("Bent u het eens? Log dan in bij Burgerportaal, ga naar Machtigingen en kies 'Goedkeuren'."),
                _("Kent u %(helper)s niet, of wilt u dit niet? Doe dan niets. De vraag stopt dan "
                  "vanzelf na %(days)d dagen.", helper=helper, days=mandates.PENDING_DAYS),
            ]
        else:
            how = [
                _("Uw code: %(code)s", code=code),
                _("Deze code werkt tot en met %(date)s. U kunt de code maar één keer gebruiken.",
                  date=_long(code_until)),
                _("Bent u het eens? Log dan in bij Burgerportaal, ga naar Machtigingen en kies "
                  "'Goedkeuren'. Of geef deze code aan %(helper)s. Met de code en uw "
                  "burgerservicenummer zet %(helper)s de machtiging zelf aan.", helper=helper),
                _("Kent u %(helper)s niet, of wilt u dit niet? Doe dan niets en geef de code aan "
                  "niemand. De vraag stopt dan vanzelf na %(days)d dagen.",
                  helper=helper, days=mandates.PENDING_DAYS),
            ]
        body = PARAGRAPH.join([
            asked,
            *how,
            _("U ziet altijd alles wat een helper voor u doet. U kunt een machtiging op elk moment "
              "stoppen bij Machtigingen."),
        ])
        letter = portal_letters.send(
            db, account_id=mandate.giver_id, subject=subject, body=body,
            reference=reference(mandate, "V"), at=now,
        )
    return letter


def offer_made(db: Session, mandate: Mandate, now: datetime) -> Letter:
    """Tell the helper that a citizen offers them a mandate (a), so they can answer."""
    with force_locale(LETTER_LANGUAGE):
        giver = mandate.giver.person.full_name
        subject = _("U krijgt een machtiging aangeboden")
        return _to_helper(db, mandate, "A", subject, [
            _("%(giver)s wil dat u dingen voor hem of haar doet in Burgerportaal. U mag dan: "
              "%(what)s. Van %(first)s tot en met %(last)s.", giver=giver, **_terms(mandate)),
            _("Wilt u dit? Ga naar Machtigingen en kies 'Accepteren'. Wilt u het niet? Kies dan "
              "'Weigeren'. Als u binnen %(days)d dagen niets kiest, stopt het aanbod vanzelf.",
              days=mandates.PENDING_DAYS),
        ], now)


def mandate_changed(db: Session, mandate: Mandate, now: datetime) -> Letter:
    """Tell the helper that the citizen changed the mandate, and what they may do now."""
    with force_locale(LETTER_LANGUAGE):
        giver = mandate.giver.person.full_name
        subject = _("Een machtiging voor u is gewijzigd")
        return _to_helper(db, mandate, "W", subject, [
            _("%(giver)s heeft de machtiging voor u gewijzigd. Met deze machtiging mag u nu: "
              "%(what)s. Van %(first)s tot en met %(last)s.", giver=giver, **_terms(mandate)),
            _("Dit geldt meteen. Doet u iets voor %(giver)s dat niet meer mag? Dan ziet u een "
              "melding dat dit niet kan.", giver=giver),
        ], now)
