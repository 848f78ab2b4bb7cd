"""The shape of a scenario file, checked by pydantic: unknown fields, missing fields and wrong
types are refused here. References between files (a persona, an organisation, a letter
template) are checked afterwards, in ``portal.scenarios.loader``.

Every file has the same sections; the shipped libraries use one each (``personen.toml``:
``personas``, ``organisaties.toml``: ``organisations``, ``brieven.toml``: ``templates``) and a
scenario file may use all of them to add its own.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, create_model, model_validator

from portal.domain.bsn import is_valid_bsn
from portal.i18n import DEFAULT_LANGUAGE, LANGUAGES
from portal.models import LegalRole, OrganisationKind
from portal.scenarios.limits import (
    MAX_CASES_PER_SCENARIO,
    MAX_STEPS_PER_SCENARIO,
    MAX_DAYS,
    MAX_DESCRIPTION_LENGTH,
    MAX_KEY_LENGTH,
    MAX_LETTERS_PER_BOX,
    MAX_PERSONAS_PER_SCENARIO,
    MAX_TITLE_LENGTH,
)

_KEY = re.compile(r"[a-z][a-z0-9_-]*")


def _key(value: str) -> str:
    if len(value) > MAX_KEY_LENGTH or not _KEY.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a good key: use small letters a-z, digits, - or _, "
            f"start with a letter, at most {MAX_KEY_LENGTH} characters"
        )
    return value


def _bsn(value: str) -> str:
    if not is_valid_bsn(value):
        raise ValueError(f"{value!r} is not a valid BSN (9 digits that pass the elfproef)")
    return value


def _country(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise ValueError(f"{value!r} is not a country code: use two capital letters, such as NL")
    return value


def _oin(value: str) -> str:
    if not re.fullmatch(r"[0-9]{20}", value):
        raise ValueError(f"{value!r} is not an OIN: use 20 digits")
    return value


def _https(value: str) -> str:
    if not value.startswith("https://"):
        raise ValueError(f"{value!r} must start with https://")
    return value


Key = Annotated[str, AfterValidator(_key)]
Text = Annotated[str, Field(min_length=1)]
Days = Annotated[int, Field(ge=0, le=MAX_DAYS)]
DaysAhead = Annotated[int, Field(ge=1, le=MAX_DAYS)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PersonaSpec(_Spec):
    given_names: Text
    surname_prefix: str = ""
    surname: Text
    bsn: Annotated[str, AfterValidator(_bsn)]
    age: Annotated[int, Field(ge=0, le=120)]
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    residence_country: Annotated[str, AfterValidator(_country)] = "NL"
    nationality: Annotated[str, AfterValidator(_country)] = "NL"
    description: Annotated[str, Field(max_length=200)] = ""
    in_register: bool = True


class OrganisationSpec(_Spec):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    oin: Annotated[str, AfterValidator(_oin)]
    kind: Annotated[OrganisationKind, Strict(False)]
    website: Annotated[str, Field(max_length=300), AfterValidator(_https)]


class AttachmentSpec(_Spec):
    filename: Text
    title: Text
    lines: list[str]
    personal: bool = True


class TemplateSpec(_Spec):
    organisation: Key
    subject: Text
    body: Text
    reference_prefix: Annotated[str, Field(min_length=1, max_length=8)]
    act_within_days: DaysAhead | None = None
    action: Text | None = None
    if_not_done: Text | None = None
    attachments: list[AttachmentSpec] = []

    @model_validator(mode="after")
    def _action_needs_a_date(self) -> TemplateSpec:
        if self.action is not None and self.act_within_days is None:
            raise ValueError("a letter with an action needs act_within_days (the date to act by)")
        return self


class DeliverySpec(_Spec):
    template: Key | None = None
    letter: TemplateSpec | None = None
    days_ago: Days
    read: bool = True
    archived: bool = False

    @model_validator(mode="after")
    def _one_letter(self) -> DeliverySpec:
        if (self.template is None) == (self.letter is None):
            raise ValueError("give either template (a key from brieven.toml) or letter (its own text)")
        if self.archived and not self.read:
            raise ValueError("an archived letter has been read: set read = true")
        return self


class StatusSpec(_Spec):
    days_ago: Days
    step: Annotated[int, Field(ge=1)]
    text: Text
    action: Text | None = None
    act_within_days: DaysAhead | None = None
    if_not_done: Text | None = None

    @model_validator(mode="after")
    def _action_needs_a_date(self) -> StatusSpec:
        if self.action is not None and self.act_within_days is None:
            raise ValueError("a status with an action needs act_within_days (the date to act by)")
        return self


class ClosedSpec(_Spec):
    days_ago: Days
    text: Text


class CaseSpec(_Spec):
    persona: Key
    organisation: Key
    title: Text
    reference: Text
    steps: Annotated[list[Text], Field(min_length=1)]
    opened_days_ago: Days
    statuses: list[StatusSpec] = []
    closed: ClosedSpec | None = None
    seen_days_ago: Days | None = None
    letter: Key | None = None


class LegalMandateSpec(_Spec):
    client: Key
    representative: Key
    role: Annotated[LegalRole, Strict(False)]
    court_reference: Text
    decided_days_ago: Days
    until_days_ahead: DaysAhead | None = None


Texts = create_model(  # type: ignore[call-overload]
    "Texts",
    __base__=_Spec,
    **{
        code: (Annotated[str, Field(min_length=1)], ...) if code == DEFAULT_LANGUAGE
        else (Annotated[str, Field(min_length=1)] | None, None)
        for code in LANGUAGES
    },
)
"""A text in the six languages: Dutch required, the others fall back to Dutch."""


class LibraryFile(_Spec):
    """What the shipped libraries and a scenario file may define for themselves."""

    personas: Annotated[dict[Key, PersonaSpec], Field(max_length=MAX_PERSONAS_PER_SCENARIO)] = {}
    organisations: dict[Key, OrganisationSpec] = {}
    templates: dict[Key, TemplateSpec] = {}


class PersonaLibrary(_Spec):
    personas: dict[Key, PersonaSpec]


class OrganisationLibrary(_Spec):
    organisations: dict[Key, OrganisationSpec]


class TemplateLibrary(_Spec):
    templates: dict[Key, TemplateSpec]


class StepSpec(_Spec):
    """A step of the lesson, for the trainer's console: done when the learner's request to
    ``page`` (an endpoint name of portal/endpoints.py, e.g. ``messages.letter``) succeeds."""

    page: Text
    label: Texts  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _known_page(self) -> StepSpec:
        from portal.endpoints import ENDPOINTS

        if self.page not in ENDPOINTS.names:
            raise ValueError(f"unknown page {self.page!r}: use a name of portal/endpoints.py")
        for code, value in self.label:
            if value is not None and len(value) > MAX_TITLE_LENGTH:
                raise ValueError(f"label.{code} is longer than {MAX_TITLE_LENGTH} characters")
        return self


class CardSpec(_Spec):
    """A lesson card: a page of the learner's world, and what to do there."""

    path: Text  # a page of the portal; {letter} and {case}: the learner's newest letter, case
    logged_in: bool = True  # false: the page before logging in (the start page)
    text: Texts  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _a_page_of_the_portal(self) -> CardSpec:
        if not self.path.startswith("/") or self.path.startswith("//"):
            raise ValueError("path must be a page of the portal, starting with one /")
        if set(re.findall(r"{(\w*)}", self.path)) - set(CARD_PLACEHOLDERS):
            raise ValueError(f"path may only use {', '.join('{' + p + '}' for p in CARD_PLACEHOLDERS)}")
        for code, value in self.text:
            if value is not None and len(value) > MAX_DESCRIPTION_LENGTH:
                raise ValueError(f"text.{code} is longer than {MAX_DESCRIPTION_LENGTH} characters")
        return self


# What a card's path may hold: the learner's newest letter and newest open case.
CARD_PLACEHOLDERS = ("letter", "case")


class ScenarioFile(LibraryFile):
    """One lesson (or the whole demo): who takes part and what is in their world."""

    title: Texts  # type: ignore[valid-type]
    description: Texts  # type: ignore[valid-type]
    people: Annotated[list[Key], Field(max_length=MAX_PERSONAS_PER_SCENARIO)] = []
    learner: Key
    subscriptions: dict[Key, list[Key]] = {}
    letters: dict[Key, Annotated[list[DeliverySpec], Field(max_length=MAX_LETTERS_PER_BOX)]] = {}
    cases: Annotated[list[CaseSpec], Field(max_length=MAX_CASES_PER_SCENARIO)] = []
    legal_mandates: list[LegalMandateSpec] = []
    help_desk_staff: dict[Key, Text] = {}
    steps: Annotated[list[StepSpec], Field(max_length=MAX_STEPS_PER_SCENARIO)] = []
    cards: Annotated[list[CardSpec], Field(max_length=MAX_STEPS_PER_SCENARIO)] = []

    @model_validator(mode="after")
    def _short_texts(self) -> ScenarioFile:
        for name, limit in (("title", MAX_TITLE_LENGTH), ("description", MAX_DESCRIPTION_LENGTH)):
            for code, value in getattr(self, name):
                if value is not None and len(value) > limit:
                    raise ValueError(f"{name}.{code} is longer than {limit} characters")
        return self


LIBRARY_FILES: dict[str, type[_Spec]] = {
    "personen.toml": PersonaLibrary,
    "organisaties.toml": OrganisationLibrary,
    "brieven.toml": TemplateLibrary,
}
"""The shipped libraries, by file name: every scenario can use what they define."""


