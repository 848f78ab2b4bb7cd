"""The mandate forms (``portal.forms``) and the words for each rule.

Rules live in ``portal.domain.mandates``; this module only reads the posted fields and
says in plain Dutch which field is wrong and what to do.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import Field, SelectField

from portal import policy
from portal.domain import mandates
from portal.domain.bsn import BSN_LENGTH, is_valid_bsn
from portal.domain.mandates import MandateRule, Terms
from portal.forms import CheckboxesField, DayField, Filled, PortalForm, QueryForm, RadiosField, TypedField, digits
from portal.mandates.labels import SCOPE_LABELS
from portal.models import Mandate, MandateKind, Organisation
from portal.models.organisation import PORTAL_OIN
from portal.policy import HELPER_SCOPES
from portal.timeutil import utcnow

# "alle": letters of every organisation; "deze": only of the chosen ones.
ALL_LETTERS = "alle"
SOME_LETTERS = "deze"
# The choice to act for oneself (the others are mandate ids).
FOR_MYSELF = "mijzelf"
# Kept when the form is shown again; far above any real value.
MAX_TYPED_LENGTH = 200
# A date typed as 2026-12-31 (what a date input sends) or 31-12-2026 (typed by hand).
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")
# Someone else's number and name: the browser should not offer them on another form.
_NOT_REMEMBERED = {"autocomplete": "off", "spellcheck": "false"}



def example_date() -> str:
    """A date to show how to type one: the last day of this year, so never in the past."""
    return f"31-12-{mandates.today_in_nl(utcnow()).year}"

def organisations(db: Session) -> list[Organisation]:
    """The organisations a mandate can be limited to (not the portal's own sender)."""
    return list(db.scalars(select(Organisation).where(Organisation.oin != PORTAL_OIN).order_by(Organisation.name)))


def parse_day(text: str) -> date | None:
    """A day typed as 2026-12-31 or 31-12-2026 (None: not a day)."""
    text = text.strip()
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DUTCH_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


class MandateForm(PortalForm):
    """The grant, request and change forms: who (not on the change form), what the helper
    may do, which letters, from when until when."""

    bsn = TypedField(max_length=MAX_TYPED_LENGTH, strip=True, render_kw=_NOT_REMEMBERED)
    achternaam = TypedField(
        max_length=MAX_TYPED_LENGTH, render_kw=_NOT_REMEMBERED,
        description=lazy_gettext("Zoals in het paspoort. Bijvoorbeeld: Vries of de Vries."),
    )
    taak = CheckboxesField(
        lazy_gettext("Wat mag de helper doen?"),
        description=lazy_gettext("Kies alles wat nodig is. Machtigingen regelen kan een helper nooit."),
    )
    berichten = RadiosField(
        lazy_gettext("Welke berichten mag de helper lezen?"),
        choices=[(ALL_LETTERS, lazy_gettext("Berichten van alle organisaties")),
                 (SOME_LETTERS, lazy_gettext("Alleen berichten van deze organisaties:"))],
        description=lazy_gettext("Dit telt alleen als de helper berichten mag lezen."),
    )
    organisatie = CheckboxesField(lazy_gettext("Organisaties"))
    begindatum = DayField(lazy_gettext("Eerste dag"), max_length=MAX_TYPED_LENGTH, strip=True)
    einddatum = DayField(lazy_gettext("Laatste dag"), max_length=MAX_TYPED_LENGTH, strip=True)

    def __init__(self, choices: list[Organisation], *, asking: bool = False, **kwargs: Any) -> None:
        """``asking``: the helper asks (the person is "die persoon"), else the citizen gives."""
        super().__init__(**kwargs)
        if asking:
            self.bsn.label.text = _("Burgerservicenummer van die persoon")
            self.bsn.description = _("9 cijfers. Vraag het aan de persoon die u wilt helpen.")
            self.achternaam.label.text = _("Achternaam van die persoon")
        else:
            self.bsn.label.text = _("Burgerservicenummer van de helper")
            self.bsn.description = _("9 cijfers. Vraag het aan de helper.")
            self.achternaam.label.text = _("Achternaam van de helper")
        # Only the scopes a helper can get are choices; anything else sent is ignored.
        self.taak.choices = [(scope.value, str(SCOPE_LABELS[scope]).capitalize()) for scope in HELPER_SCOPES]
        self.organisatie.choices = [(str(o.id), o.name) for o in choices]
        if self.berichten.data != SOME_LETTERS:
            self.berichten.data = ALL_LETTERS
        self.begindatum.description = _("Vandaag of later. Bijvoorbeeld: %(date)s.", date=example_date())
        self.einddatum.description = _("Hooguit %(years)d jaar na de eerste dag. Daarna stopt de machtiging vanzelf.",
                                       years=mandates.MAX_YEARS)

    @classmethod
    def empty(cls, choices: list[Organisation], today: date, *, asking: bool = False) -> MandateForm:
        return cls(choices, asking=asking, data={"begindatum": today.isoformat()})

    @classmethod
    def of(cls, mandate: Mandate, choices: list[Organisation]) -> MandateForm:
        """The form filled with what the mandate gives now (to change it)."""
        organisation_ids = [str(o.id) for o in mandate.letter_organisations]
        last = mandates.last_day(mandate)
        return cls(choices, data={
            "taak": [s.value for s in HELPER_SCOPES if s in policy.scopes_of(mandate)],
            "berichten": SOME_LETTERS if organisation_ids else ALL_LETTERS,
            "organisatie": organisation_ids,
            "begindatum": mandates.first_day(mandate).isoformat(),
            "einddatum": last.isoformat() if last is not None else "",
        })

    @property
    def person_bsn(self) -> str:
        return self.bsn.data or ""

    @property
    def surname(self) -> str:
        return self.achternaam.data or ""

    def terms(self) -> Terms:
        chosen = set(self.taak.data)
        return Terms(
            scopes=frozenset(scope for scope in HELPER_SCOPES if scope.value in chosen),
            organisation_ids=digits(self.organisatie.data) if self.berichten.data == SOME_LETTERS else None,
            first=parse_day(self.begindatum.data or ""),
            last=parse_day(self.einddatum.data or ""),
        )

    def show(self, rules: tuple[MandateRule, ...]) -> None:
        """Put the words for these rules on the fields they are about."""
        for rule in rules:
            field, message = _where_and_what(rule, self)
            self.refuse(field, message)


def _where_and_what(rule: MandateRule, form: MandateForm) -> tuple[Field, str]:
    if rule is MandateRule.PERSON_NOT_FOUND:
        # What is wrong with the typing itself may be said; whether someone exists may not.
        if not form.person_bsn:
            return form.bsn, _("Vul het burgerservicenummer in.")
        if not (form.person_bsn.isascii() and form.person_bsn.isdigit() and len(form.person_bsn) == BSN_LENGTH):
            return form.bsn, _("Een burgerservicenummer heeft 9 cijfers. Vul alleen die 9 cijfers in, "
                               "zonder punten of spaties.")
        if not is_valid_bsn(form.person_bsn):
            return form.bsn, _("Dit burgerservicenummer bestaat niet. Kijk of u het goed heeft getypt.")
        if not form.surname.strip():
            return form.achternaam, _("Vul de achternaam in.")
        return form.bsn, _(
            "We vinden niemand met dit burgerservicenummer en deze achternaam. Kijk of u het nummer "
            "en de naam goed heeft getypt."
        )
    if rule is MandateRule.YOURSELF:
        return form.bsn, _("U kunt geen machtiging aan uzelf geven of van uzelf vragen. Vul het "
                           "burgerservicenummer van de ander in.")
    if rule in (MandateRule.NO_SCOPE, MandateRule.SCOPE_NOT_ALLOWED):
        return form.taak, _("Kies minstens één ding dat de helper mag doen.")
    if rule is MandateRule.NO_ORGANISATION:
        message = _("Kies één of meer organisaties. Of kies dat de helper alle berichten mag lezen.")
        if form.organisatie.choices:
            return form.organisatie, message
        # No organisation to choose: the link leads to the choice "only these".
        form.berichten.anchor_value = SOME_LETTERS
        return form.berichten, message
    if rule is MandateRule.START_MISSING:
        if form.begindatum.data:
            return form.begindatum, _("Vul de begindatum in zoals %(date)s.", date=example_date())
        return form.begindatum, _("Vul de begindatum in.")
    if rule is MandateRule.START_IN_PAST:
        return form.begindatum, _("De begindatum mag niet voor vandaag liggen.")
    if rule is MandateRule.END_MISSING:
        if form.einddatum.data:
            return form.einddatum, _("Vul de einddatum in zoals %(date)s.", date=example_date())
        return form.einddatum, _("Vul de einddatum in. Een machtiging geldt nooit zonder einde.")
    if rule is MandateRule.END_BEFORE_START:
        return form.einddatum, _("De einddatum mag niet voor de begindatum liggen. Een machtiging van één dag kan wel.")
    if rule is MandateRule.END_IN_PAST:
        return form.einddatum, _("De laatste dag mag niet voor vandaag liggen. Wilt u dat de machtiging "
                                 "meteen stopt? Kies dan 'Machtiging stoppen'.")
    if rule is MandateRule.TOO_LONG:
        return form.einddatum, _("Een machtiging geldt hooguit %(years)d jaar. Kies een eerdere einddatum.",
                                 years=mandates.MAX_YEARS)
    return form.bsn, answer_error(rule)


def change_error(rule: MandateRule, mandate: Mandate) -> str:
    """Why this mandate cannot be changed."""
    if rule is MandateRule.LEGAL_NOT_CHANGEABLE:
        return _("Een wettelijke vertegenwoordiging kunt u hier niet wijzigen. De rechter besluit daarover. "
                 "Een beheerder van Burgerportaal zet de beslissing van de rechter in het portaal.")
    if mandate.kind is MandateKind.ASSISTED:
        return _("Hulp aan de balie geldt voor één bezoek. Die kunt u niet wijzigen.")
    return _("Deze machtiging is gestopt of verlopen. U kunt hem niet meer wijzigen. Wilt u dat iemand u "
             "weer helpt? Geef dan een nieuwe machtiging.")


def asked_too_often() -> str:
    """Why asking is refused for the rest of the day (it says nothing about anyone)."""
    return _("U heeft vandaag al %(count)d keer om een machtiging gevraagd. Meer kan niet op één dag. "
             "Probeer het morgen opnieuw.", count=mandates.MAX_ASKS_PER_DAY)


def answer_error(rule: MandateRule) -> str:
    """Why an answer (accept, approve, end) was refused."""
    if rule is MandateRule.LAPSED:
        return _("Deze vraag is verlopen. Er kwam geen antwoord binnen %(days)d dagen. Vraag opnieuw om "
                 "een machtiging, of geef een nieuwe.", days=mandates.PENDING_DAYS)
    if rule is MandateRule.OWN_MANDATE:
        return _("Dit gaat over een machtiging voor uzelf. Die kunt u niet goedkeuren of wijzigen. Alleen "
                 "de persoon zelf kan dat doen, met de eigen DigiD.")
    if rule is MandateRule.LEGAL_NOT_ENDABLE:
        return _("Een wettelijke vertegenwoordiging kunt u hier niet stoppen. De rechter besluit daarover. "
                 "Een beheerder van Burgerportaal zet de beslissing van de rechter in het portaal.")
    return _("Deze machtiging wacht niet meer op antwoord. Kijk bij Machtigingen hoe het ervoor staat.")


class CodeForm(PortalForm):
    """The activation form: the citizen's BSN and the code from their letter."""

    bsn = TypedField(
        lazy_gettext("Burgerservicenummer van die persoon"), max_length=MAX_TYPED_LENGTH, strip=True,
        description=lazy_gettext("9 cijfers."), render_kw=_NOT_REMEMBERED,
        # What is missing is said before any code is tried (a missing field counts no try).
        validators=[Filled(lazy_gettext("Vul het burgerservicenummer in van de persoon die u wilt helpen."))],
    )
    code = TypedField(
        lazy_gettext("Code uit de brief"), max_length=MAX_TYPED_LENGTH, strip=True,
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
        validators=[Filled(lazy_gettext("Vul de code uit de brief in."))],
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.code.description = _("%(length)s letters en cijfers. Bijvoorbeeld: %(example)s.",
                                  length=mandates.CODE_LENGTH, example=mandates.CODE_EXAMPLE)

    def show(self, rule: MandateRule) -> None:
        """One message for a wrong, used-up or expired code, and for a BSN without a request:
        which one it was would tell whether the request reached someone."""
        if rule is MandateRule.CODE_MISSING:
            self.refuse(self.code, _("Vul de code uit de brief in."))
        else:
            self.refuse(self.code, _(
                "Deze code werkt niet. Kijk of u het burgerservicenummer en de code goed heeft "
                "overgenomen. Na %(tries)d verkeerde codes of na %(days)d dagen werkt een code niet meer. "
                "De persoon kan uw vraag dan nog wel zelf goedkeuren in Burgerportaal.",
                tries=mandates.MAX_CODE_ATTEMPTS, days=mandates.ACTIVATION_CODE_DAYS))


class ChooseForm(PortalForm):
    """For whom to act: oneself, or one of the mandates one holds now."""

    voor = RadiosField(id="keuze")

    def __init__(self, held: list[Mandate], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.voor.choices = [(FOR_MYSELF, _("Voor mijzelf"))] + [
            (str(m.id), _("Voor %(name)s", name=m.giver.person.full_name)) for m in held
        ]

    def refuse_choice(self) -> None:
        self.refuse(self.voor, _("Kies voor wie u iets wilt doen."))


# The log page's filter: whose lines to show (the query parameter ``portal.mandates.log`` reads).
HELPER_PARAM = "helper"


class HelperForm(QueryForm):
    """The lines of one helper, or of everyone, on the citizen's log."""

    helper = SelectField(lazy_gettext("Van wie wilt u de regels zien?"), name=HELPER_PARAM, validate_choice=False)

    def __init__(self, chosen: int | None, helpers: list[tuple[int, str]]) -> None:
        super().__init__(helper="" if chosen is None else str(chosen))
        self.helper.choices = [("", _("Iedereen")), *((str(account_id), name) for account_id, name in helpers)]
