"""The mandate forms: what was typed (kept for a second try) and the words for each rule.

Rules live in ``portal.domain.mandates``; this module only reads the posted fields and
says in plain Dutch which field is wrong and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from portal import policy
from portal.domain import mandates
from portal.domain.bsn import BSN_LENGTH, is_valid_bsn
from portal.domain.mandates import MandateRule, Terms
from portal.models import Mandate, MandateKind, Organisation
from portal.models.organisation import PORTAL_OIN
from portal.policy import HELPER_SCOPES, Scope
from portal.timeutil import utcnow

# Field names (the ids of the inputs are derived from them).
BSN_FIELD = "bsn"
SURNAME_FIELD = "achternaam"
SCOPE_FIELD = "taak"
LETTERS_FIELD = "berichten"
ORGANISATION_FIELD = "organisatie"
START_FIELD = "begindatum"
END_FIELD = "einddatum"
CODE_FIELD = "code"
# "alle": letters of every organisation; "deze": only of the chosen ones.
ALL_LETTERS = "alle"
SOME_LETTERS = "deze"
# Kept when the form is shown again; far above any real value.
MAX_TYPED_LENGTH = 200
# A date typed as 2026-12-31 (what a date input sends) or 31-12-2026 (typed by hand).
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")



def example_date() -> str:
    """A date to show how to type one: the last day of this year, so never in the past."""
    return f"31-12-{mandates.today_in_nl(utcnow()).year}"

def organisations(db: Session) -> list[Organisation]:
    """The organisations a mandate can be limited to (not the portal's own sender)."""
    return list(db.scalars(select(Organisation).where(Organisation.oin != PORTAL_OIN).order_by(Organisation.name)))


def parse_day(text: str) -> date | None:
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


def _typed(form: MultiDict[str, str], name: str) -> str:
    return form.get(name, "")[:MAX_TYPED_LENGTH]


@dataclass
class MandateForm:
    """The fields of the grant and request forms, as typed."""

    bsn: str = ""
    surname: str = ""
    scopes: frozenset[Scope] = frozenset()
    letters: str = ALL_LETTERS
    organisation_ids: frozenset[int] = frozenset()
    start: str = ""
    end: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def empty(cls, today: date) -> MandateForm:
        return cls(start=today.isoformat())

    @classmethod
    def of(cls, mandate: Mandate) -> MandateForm:
        """The form filled with what the mandate gives now (to change it)."""
        organisation_ids = frozenset(o.id for o in mandate.letter_organisations)
        last = mandates.last_day(mandate)
        return cls(
            scopes=frozenset(s for s in HELPER_SCOPES if s in policy.scopes_of(mandate)),
            letters=SOME_LETTERS if organisation_ids else ALL_LETTERS,
            organisation_ids=organisation_ids,
            start=mandates.first_day(mandate).isoformat(),
            end=last.isoformat() if last is not None else "",
        )

    @classmethod
    def from_post(cls, form: MultiDict[str, str]) -> MandateForm:
        chosen = set(form.getlist(SCOPE_FIELD))
        ids = frozenset(int(value) for value in form.getlist(ORGANISATION_FIELD) if value.isascii() and value.isdigit() and len(value) < 10)
        return cls(
            bsn=_typed(form, BSN_FIELD).strip(),
            surname=_typed(form, SURNAME_FIELD),
            # Only the scopes a helper can get are read; anything else is ignored.
            scopes=frozenset(scope for scope in HELPER_SCOPES if scope.value in chosen),
            letters=SOME_LETTERS if form.get(LETTERS_FIELD) == SOME_LETTERS else ALL_LETTERS,
            organisation_ids=ids,
            start=_typed(form, START_FIELD).strip(),
            end=_typed(form, END_FIELD).strip(),
        )

    def terms(self) -> Terms:
        return Terms(
            scopes=self.scopes,
            organisation_ids=self.organisation_ids if self.letters == SOME_LETTERS else None,
            first=parse_day(self.start),
            last=parse_day(self.end),
        )

    def show(self, rules: tuple[MandateRule, ...], choices: list[Organisation]) -> None:
        """Put the words for these rules on the fields they are about."""
        self.errors = {}
        for rule in rules:
            field_id, message = _where_and_what(rule, self, choices)
            self.errors.setdefault(field_id, message)


def scope_field_id(scope: Scope) -> str:
    return f"{SCOPE_FIELD}-{scope.value}"


def _where_and_what(rule: MandateRule, form: MandateForm, choices: list[Organisation]) -> tuple[str, str]:
    if rule is MandateRule.PERSON_NOT_FOUND:
        # What is wrong with the typing itself may be said; whether someone exists may not.
        if not form.bsn:
            return BSN_FIELD, _("Vul het burgerservicenummer in.")
        if not (form.bsn.isascii() and form.bsn.isdigit() and len(form.bsn) == BSN_LENGTH):
            return BSN_FIELD, _("Een burgerservicenummer heeft 9 cijfers. Vul alleen die 9 cijfers in, "
                                "zonder punten of spaties.")
        if not is_valid_bsn(form.bsn):
            return BSN_FIELD, _("Dit burgerservicenummer bestaat niet. Kijk of u het goed heeft getypt.")
        if not form.surname.strip():
            return SURNAME_FIELD, _("Vul de achternaam in.")
        return BSN_FIELD, _(
            "We vinden niemand met dit burgerservicenummer en deze achternaam. Kijk of u het nummer "
            "en de naam goed heeft getypt."
        )
    if rule is MandateRule.YOURSELF:
        return BSN_FIELD, _("U kunt geen machtiging aan uzelf geven of van uzelf vragen. Vul het "
                            "burgerservicenummer van de ander in.")
    if rule in (MandateRule.NO_SCOPE, MandateRule.SCOPE_NOT_ALLOWED):
        return scope_field_id(HELPER_SCOPES[0]), _("Kies minstens één ding dat de helper mag doen.")
    if rule is MandateRule.NO_ORGANISATION:
        first = f"{ORGANISATION_FIELD}-{choices[0].id}" if choices else f"{LETTERS_FIELD}-{SOME_LETTERS}"
        return first, _("Kies één of meer organisaties. Of kies dat de helper alle berichten mag lezen.")
    if rule is MandateRule.START_MISSING:
        if form.start:
            return START_FIELD, _("Vul de begindatum in zoals %(date)s.", date=example_date())
        return START_FIELD, _("Vul de begindatum in.")
    if rule is MandateRule.START_IN_PAST:
        return START_FIELD, _("De begindatum mag niet voor vandaag liggen.")
    if rule is MandateRule.END_MISSING:
        if form.end:
            return END_FIELD, _("Vul de einddatum in zoals %(date)s.", date=example_date())
        return END_FIELD, _("Vul de einddatum in. Een machtiging geldt nooit zonder einde.")
    if rule is MandateRule.END_BEFORE_START:
        return END_FIELD, _("De einddatum mag niet voor de begindatum liggen. Een machtiging van één dag kan wel.")
    if rule is MandateRule.END_IN_PAST:
        return END_FIELD, _("De laatste dag mag niet voor vandaag liggen. Wilt u dat de machtiging meteen "
                            "stopt? Kies dan 'Machtiging stoppen'.")
    if rule is MandateRule.TOO_LONG:
        return END_FIELD, _("Een machtiging geldt hooguit %(years)d jaar. Kies een eerdere einddatum.",
                            years=mandates.MAX_YEARS)
    return BSN_FIELD, answer_error(rule)


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


@dataclass
class CodeForm:
    """The activation form: the citizen's BSN and the code from their letter."""

    bsn: str = ""
    code: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_post(cls, form: MultiDict[str, str]) -> CodeForm:
        return cls(bsn=_typed(form, BSN_FIELD).strip(), code=_typed(form, CODE_FIELD).strip())

    def check_typing(self) -> bool:
        """Say what is missing before any code is tried (a missing field counts no try)."""
        self.errors = {}
        if not self.bsn:
            self.errors[BSN_FIELD] = _("Vul het burgerservicenummer in van de persoon die u wilt helpen.")
        if not self.code:
            self.errors[CODE_FIELD] = _("Vul de code uit de brief in.")
        return not self.errors

    def show(self, rule: MandateRule) -> None:
        """One message for a wrong, used-up or expired code, and for a BSN without a request:
        which one it was would tell whether the request reached someone."""
        if rule is MandateRule.CODE_MISSING:
            self.errors = {CODE_FIELD: _("Vul de code uit de brief in.")}
        else:
            self.errors = {CODE_FIELD: _(
                "Deze code werkt niet. Kijk of u het burgerservicenummer en de code goed heeft "
                "overgenomen. Na %(tries)d verkeerde codes of na %(days)d dagen werkt een code niet meer. "
                "De persoon kan uw vraag dan nog wel zelf goedkeuren in Burgerportaal.",
                tries=mandates.MAX_CODE_ATTEMPTS, days=mandates.ACTIVATION_CODE_DAYS)}
