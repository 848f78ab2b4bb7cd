"""A scenario once read and checked: the practice world of one lesson, ready to build.

Plain frozen dataclasses (no pydantic, no database): ``portal.demo.seed.build_world`` makes the
rows from these, through the same domain code as real use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from portal.i18n import DEFAULT_LANGUAGE
from portal.models import LegalRole, OrganisationKind


@dataclass(frozen=True)
class PracticePerson:
    """A persona: a practice DigiD login and (when ``in_register``) a person in the register."""

    username: str
    given_names: str
    surname_prefix: str
    surname: str
    bsn: str
    age_years: int
    street: str
    house_number: str
    postcode: str
    city: str
    residence_country: str
    nationality: str
    # Shown to trainers and testers on the practice login page.
    description: str
    in_register: bool = True

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.surname_prefix, self.surname) if p)

    def birth_date(self, today: date) -> date:
        """A birth date that makes the person ``age_years`` old today (and some weeks)."""
        try:
            anniversary = today.replace(year=today.year - self.age_years)
        except ValueError:  # 29 February
            anniversary = today.replace(year=today.year - self.age_years, day=28)
        return anniversary - timedelta(days=45)


@dataclass(frozen=True)
class DemoOrganisation:
    """An organisation that sends post (R8)."""

    key: str
    name: str
    oin: str
    kind: OrganisationKind
    website: str


@dataclass(frozen=True)
class AttachmentTemplate:
    filename: str
    title: str
    lines: tuple[str, ...]
    # Personal: about this person (with name and address). General: the same for everyone.
    personal: bool = True


@dataclass(frozen=True)
class LetterTemplate:
    key: str
    organisation: str  # the key of a DemoOrganisation
    subject: str
    body: str
    reference_prefix: str
    act_within_days: int | None = None
    action: str | None = None
    if_not_done: str | None = None
    attachments: tuple[AttachmentTemplate, ...] = ()


@dataclass(frozen=True)
class Delivery:
    """One letter in a box: which template, how many days ago, and what the reader did."""

    template: str
    days_ago: int
    read: bool = True
    archived: bool = False


@dataclass(frozen=True)
class DemoStatus:
    days_ago: int
    step: int
    text: str
    action: str | None = None
    act_within_days: int | None = None
    if_not_done: str | None = None


@dataclass(frozen=True)
class DemoCase:
    username: str
    organisation: str
    title: str
    reference: str
    steps: tuple[str, ...]
    opened_days_ago: int
    statuses: tuple[DemoStatus, ...] = ()  # oldest first
    closed: DemoStatus | None = None  # the outcome; its step is ignored
    # When the citizen last looked at the case; None: never.
    seen_days_ago: int | None = None
    # The template key of a letter in the same box from the same organisation.
    letter: str | None = None


@dataclass(frozen=True)
class DemoRepresentation:
    representative: str
    role: LegalRole
    court_reference: str
    decided_days_ago: int
    # None: until the decision ends (the usual case).
    until_days_ahead: int | None = None


@dataclass(frozen=True)
class LessonStep:
    """A step of a lesson: done when the learner's request to ``endpoint`` succeeds."""

    endpoint: str
    label: dict[str, str]  # by language code; "nl" always there

    def label_in(self, language: str) -> str:
        return self.label.get(language) or self.label[DEFAULT_LANGUAGE]


@dataclass(frozen=True)
class LessonCard:
    """A lesson card: a page of the learner's world and what to do there."""

    path: str  # may hold {letter} and {case}
    logged_in: bool
    text: dict[str, str]  # by language code; "nl" always there

    def text_in(self, language: str) -> str:
        return self.text.get(language) or self.text[DEFAULT_LANGUAGE]


@dataclass(frozen=True)
class Scenario:
    """The world of one lesson (or of the whole demo), checked and with every reference resolved."""

    key: str
    source: str  # the file name, for messages
    title: dict[str, str]  # by language code; "nl" always there
    description: dict[str, str]
    personas: tuple[PracticePerson, ...]  # who takes part, in the order they are made
    learner: str  # the username the learner starts as
    organisations: tuple[DemoOrganisation, ...]
    templates: dict[str, LetterTemplate]
    subscriptions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mailboxes: dict[str, tuple[Delivery, ...]] = field(default_factory=dict)
    cases: tuple[DemoCase, ...] = ()
    # (client, decision) by username; the client is who the court decision is about.
    legal_representations: tuple[tuple[str, DemoRepresentation], ...] = ()
    help_desk_staff: dict[str, str] = field(default_factory=dict)
    # In order, for the trainer's console.
    steps: tuple[LessonStep, ...] = ()
    # The printable lesson cards, in order (docs/practice-mode.md, "Lesson cards").
    cards: tuple[LessonCard, ...] = ()

    @property
    def usernames(self) -> tuple[str, ...]:
        """The practice usernames in this world, in the order they are made."""
        return tuple(p.username for p in self.personas)

    @property
    def learner_persona(self) -> PracticePerson:
        return self.persona(self.learner)

    def persona(self, username: str) -> PracticePerson:
        """The persona ``username`` of this world; KeyError when it does not take part."""
        for person in self.personas:
            if person.username == username:
                return person
        raise KeyError(username)

    def title_in(self, language: str) -> str:
        """The title in ``language``, or in Dutch when the file has none in that language."""
        return self.title.get(language) or self.title[DEFAULT_LANGUAGE]

    def description_in(self, language: str) -> str:
        return self.description.get(language) or self.description[DEFAULT_LANGUAGE]

    @property
    def organisations_by_key(self) -> dict[str, DemoOrganisation]:
        return {org.key: org for org in self.organisations}

    @property
    def letter_count(self) -> int:
        return sum(len(box) for box in self.mailboxes.values())
