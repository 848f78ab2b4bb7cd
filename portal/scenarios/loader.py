"""Reading the scenario files: TOML, checked by the schema, references resolved.

``load_scenarios`` reads the shipped folder (``files/``: the three libraries and the lesson
files) and, optionally, a trainer's folder of extra scenario files (``PORTAL_SCENARIO_DIR``).
Every problem is reported as ``<file>: <field path>: <what is wrong>``; all problems of all
files are collected and raised together as one ``ScenarioError``.
"""

from __future__ import annotations

import functools
import re
import string
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from portal.domain.eligibility import PersonFacts, check_eligibility
from portal.scenarios.limits import MAX_FILE_BYTES, MAX_KEY_LENGTH, MAX_PERSONAS_PER_SCENARIO
from portal.scenarios.model import (
    LessonCard,
    LessonStep,
    AttachmentTemplate,
    Delivery,
    DemoCase,
    DemoOrganisation,
    DemoRepresentation,
    DemoStatus,
    LetterTemplate,
    PracticePerson,
    Scenario,
)
from portal.scenarios.schema import (
    LIBRARY_FILES,
    OrganisationSpec,
    PersonaSpec,
    ScenarioFile,
    TemplateSpec,
)

SHIPPED_DIR = Path(__file__).parent / "files"
# The shipped lessons in course order (issue 10); a trainer's own lessons come after them.
LESSONS = ("beginnen", "berichtenbox", "lopende-zaken", "machtigen", "instellingen")
DEMO = "demo"
# What a letter's texts may use between { } (portal/demo/letters.py fills them in).
PLACEHOLDERS = frozenset(
    {"name", "year", "prev_year", "coming_year", "act_by", "placed", "reference", "city", "address"}
)
_FILE_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")


class ScenarioError(ValueError):
    """One or more scenario files cannot be used. Each problem names the file and the field."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class _Library:
    """What every scenario may refer to: personas, organisations, letter templates, by key,
    with the file each came from (for "also in ..." messages)."""

    personas: dict[str, PracticePerson] = field(default_factory=dict)
    organisations: dict[str, DemoOrganisation] = field(default_factory=dict)
    templates: dict[str, LetterTemplate] = field(default_factory=dict)
    origin: dict[tuple[str, str], str] = field(default_factory=dict)

    def copy(self) -> _Library:
        return _Library(dict(self.personas), dict(self.organisations), dict(self.templates), dict(self.origin))


@dataclass
class CheckResult:
    """Every scenario that could be read, and every problem found (empty: all is well)."""

    scenarios: dict[str, Scenario]
    problems: list[str]


def load_scenarios(extra_dir: Path | str | None = None, *, shipped_dir: Path | str = SHIPPED_DIR) -> dict[str, Scenario]:
    """Every scenario by key: the shipped ones and those in ``extra_dir``.

    Raises ScenarioError listing every problem when any file is wrong. Cached per process
    while no file in the folders changes.
    """
    result = check_scenarios(extra_dir, shipped_dir=shipped_dir)
    if result.problems:
        raise ScenarioError(result.problems)
    return result.scenarios


def check_scenarios(extra_dir: Path | str | None = None, *, shipped_dir: Path | str = SHIPPED_DIR) -> CheckResult:
    """Like ``load_scenarios``, but returns the good scenarios together with the problems."""
    folders = (Path(shipped_dir), Path(extra_dir) if extra_dir is not None else None)
    return _check_cached(*folders, _fingerprint(folders))


def _fingerprint(folders: Iterable[Path | None]) -> tuple[tuple[str, int, int], ...]:
    stamps = []
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            stat = path.stat()
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


@functools.lru_cache(maxsize=8)
def _check_cached(shipped_dir: Path, extra_dir: Path | None, _stamp: tuple[Any, ...]) -> CheckResult:
    problems: list[str] = []
    library = _read_libraries(shipped_dir, problems)
    files = [p for p in sorted(shipped_dir.glob("*.toml")) if p.name not in LIBRARY_FILES]
    if extra_dir is not None:
        if not extra_dir.is_dir():
            problems.append(f"PORTAL_SCENARIO_DIR: {extra_dir} is not a folder")
        else:
            for path in sorted(extra_dir.glob("*.toml")):
                if path.name in LIBRARY_FILES:
                    problems.append(
                        f"{path.name}: this name is taken by the shipped library; "
                        "give your scenario file another name"
                    )
                else:
                    files.append(path)
    scenarios: dict[str, Scenario] = {}
    seen: dict[str, Path] = {}
    for path in files:
        key = path.stem
        if key in seen:
            problems.append(f"{path.name}: a scenario with the key {key!r} already exists ({seen[key]})")
            continue
        seen[key] = path
        built = _read_scenario(path, key, library, problems)
        if built is not None:
            scenarios[key] = built
    return CheckResult(scenarios, problems)


def _read_libraries(shipped_dir: Path, problems: list[str]) -> _Library:
    library = _Library()
    for name, model in LIBRARY_FILES.items():
        spec = _parse(shipped_dir / name, model, problems)
        if spec is not None:
            _add_library(library, name, spec, problems)
    return library


def _parse(path: Path, model: type[BaseModel], problems: list[str]) -> Any:
    """The file checked by ``model``, or None (with the problems added)."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(f"{name}: cannot be read ({error.strerror})")
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(f"{name}: the file is larger than {MAX_FILE_BYTES // 1024} KB")
        return None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        problems.append(f"{name}: the file is not UTF-8 text; save it as UTF-8")
        return None
    except tomllib.TOMLDecodeError as error:
        problems.append(f"{name}: TOML syntax error: {error}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems.extend(f"{name}: {_path(e['loc'])}: {_message(e)}" for e in error.errors())
        return None


def _path(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            continue  # pydantic's marker for a bad dict key: the key itself is named already
        else:
            text += f".{part}" if text else str(part)
    return text or "(the file)"


_MESSAGES = {
    "missing": "missing (this field is required)",
    "extra_forbidden": "unknown field (check the spelling)",
    "int_type": "must be a whole number, without quotes",
    "string_type": "must be text in quotes",
    "bool_type": "must be true or false",
    "list_type": "must be a list: [ ... ]",
    "dict_type": "must be a table",
    "model_type": "must be a table",
}


def _message(error: Mapping[str, Any]) -> str:
    if error["type"] in _MESSAGES:
        return _MESSAGES[error["type"]]
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _add_library(library: _Library, name: str, spec: BaseModel, problems: list[str]) -> None:
    """Add what ``spec`` (a library or a scenario file) defines; duplicates are problems."""
    for username, persona in getattr(spec, "personas", {}).items():
        if _duplicate(library, "persona", username, name, problems, "personas"):
            continue
        other = next((p for p in library.personas.values() if p.bsn == persona.bsn), None)
        if other is not None:
            problems.append(f"{name}: personas.{username}.bsn: the same BSN as persona {other.username!r}")
            continue
        library.personas[username] = _persona(username, persona)
        library.origin[("persona", username)] = name
    for key, org in getattr(spec, "organisations", {}).items():
        if _duplicate(library, "organisation", key, name, problems, "organisations"):
            continue
        other_org = next((o for o in library.organisations.values() if o.oin == org.oin), None)
        if other_org is not None:
            problems.append(f"{name}: organisations.{key}.oin: the same OIN as organisation {other_org.key!r}")
            continue
        library.organisations[key] = _organisation(key, org)
        library.origin[("organisation", key)] = name
    for key, template in getattr(spec, "templates", {}).items():
        if _duplicate(library, "letter template", key, name, problems, "templates"):
            continue
        if _template_problems(name, f"templates.{key}", template, library, problems):
            continue
        library.templates[key] = _template(key, template)
        library.origin[("letter template", key)] = name


def _duplicate(library: _Library, kind: str, key: str, name: str, problems: list[str], section: str) -> bool:
    origin = library.origin.get((kind, key))
    if origin is None:
        return False
    problems.append(f"{name}: {section}.{key}: {kind} {key!r} already exists in {origin}; choose another key")
    return True


def _template_problems(name: str, where: str, spec: TemplateSpec, library: _Library, problems: list[str]) -> bool:
    found = []
    if spec.organisation not in library.organisations:
        found.append(f"{name}: {where}.organisation: unknown organisation {spec.organisation!r}")
    texts: list[tuple[str, str | None]] = [
        ("subject", spec.subject), ("body", spec.body), ("action", spec.action), ("if_not_done", spec.if_not_done),
    ]
    for i, item in enumerate(spec.attachments):
        texts += [(f"attachments[{i}].filename", item.filename), (f"attachments[{i}].title", item.title)]
        texts += [(f"attachments[{i}].lines[{j}]", line) for j, line in enumerate(item.lines)]
    for field_name, text in texts:
        if text is None:
            continue
        problem = _placeholder_problem(text)
        if problem:
            found.append(f"{name}: {where}.{field_name}: {problem}")
    problems.extend(found)
    return bool(found)


def _placeholder_problem(text: str) -> str | None:
    try:
        names = [f for _, f, spec, conv in string.Formatter().parse(text) if f is not None]
    except ValueError:
        return "a { or } without its partner; write {{ or }} for the sign itself"
    for placeholder in names:
        if placeholder not in PLACEHOLDERS:
            return f"unknown placeholder {{{placeholder}}}; use one of {', '.join(sorted(PLACEHOLDERS))}"
    return None


def _persona(username: str, spec: PersonaSpec) -> PracticePerson:
    return PracticePerson(
        username=username,
        given_names=spec.given_names,
        surname_prefix=spec.surname_prefix,
        surname=spec.surname,
        bsn=spec.bsn,
        age_years=spec.age,
        street=spec.street,
        house_number=spec.house_number,
        postcode=spec.postcode,
        city=spec.city,
        residence_country=spec.residence_country,
        nationality=spec.nationality,
        description=spec.description,
        in_register=spec.in_register,
    )


def _organisation(key: str, spec: OrganisationSpec) -> DemoOrganisation:
    return DemoOrganisation(key=key, name=spec.name, oin=spec.oin, kind=spec.kind, website=spec.website)


def _template(key: str, spec: TemplateSpec) -> LetterTemplate:
    return LetterTemplate(
        key=key,
        organisation=spec.organisation,
        subject=spec.subject,
        body=spec.body,
        reference_prefix=spec.reference_prefix,
        act_within_days=spec.act_within_days,
        action=spec.action,
        if_not_done=spec.if_not_done,
        attachments=tuple(
            AttachmentTemplate(a.filename, a.title, tuple(a.lines), personal=a.personal) for a in spec.attachments
        ),
    )


def may_have_account(person: PracticePerson) -> bool:
    """R1 for a persona: an account is made for them when the world is built."""
    if not person.in_register:
        return False
    today = date(2001, 6, 1)  # any day: ages are relative to the day of building
    facts = PersonFacts(person.bsn, person.birth_date(today), person.residence_country, person.nationality)
    return check_eligibility(facts, person.bsn, today) is None


def _read_scenario(path: Path, key: str, shared: _Library, problems: list[str]) -> Scenario | None:
    name = path.name
    if len(key) > MAX_KEY_LENGTH or not _FILE_KEY.fullmatch(key):
        problems.append(
            f"{name}: the file name must be small letters a-z, digits and -, "
            f"at most {MAX_KEY_LENGTH} before .toml (such as mijn-les.toml)"
        )
        return None
    spec = _parse(path, ScenarioFile, problems)
    if spec is None:
        return None
    before = len(problems)
    library = shared.copy()
    _add_library(library, name, spec, problems)
    checker = _ScenarioChecker(name, spec, library, problems)
    scenario = checker.build(key)
    return scenario if len(problems) == before else None


class _ScenarioChecker:
    """The references of one scenario file, checked in file order, resolved when right."""

    def __init__(self, name: str, spec: ScenarioFile, library: _Library, problems: list[str]) -> None:
        self.name, self.spec, self.library, self.problems = name, spec, library, problems
        self.templates = dict(library.templates)

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{self.name}: {where}: {what}")

    def build(self, key: str) -> Scenario:
        spec = self.spec
        personas = self._personas()
        self.taking_part = {p.username: p for p in personas}
        if spec.learner not in self.taking_part:
            self.problem("learner", f"{spec.learner!r} does not take part: add it to people")
        subscriptions = self._subscriptions()
        mailboxes = self._mailboxes(subscriptions)
        cases = tuple(self._cases(mailboxes))
        legal = tuple(self._legal())
        staff = {}
        for username, desk in spec.help_desk_staff.items():
            if self._account_holder(f"help_desk_staff.{username}", username):
                staff[username] = desk
        return Scenario(
            key=key,
            source=self.name,
            title={code: text for code, text in spec.title if text is not None},
            description={code: text for code, text in spec.description if text is not None},
            personas=personas,
            learner=spec.learner,
            organisations=tuple(self.library.organisations.values()),
            templates=self.templates,
            subscriptions=subscriptions,
            mailboxes=mailboxes,
            cases=cases,
            legal_representations=legal,
            help_desk_staff=staff,
            steps=tuple(LessonStep(step.page, {code: text for code, text in step.label if text is not None})
                        for step in spec.steps),
            cards=tuple(LessonCard(card.path, card.logged_in, {code: text for code, text in card.text if text is not None})
                        for card in spec.cards),
        )

    def _personas(self) -> tuple[PracticePerson, ...]:
        chosen: dict[str, PracticePerson] = {}
        for i, username in enumerate(self.spec.people):
            if username in chosen:
                self.problem(f"people[{i}]", f"{username!r} is in the list twice")
            elif username not in self.library.personas:
                self.problem(f"people[{i}]", f"unknown persona {username!r} (not in personen.toml or this file)")
            else:
                chosen[username] = self.library.personas[username]
        for username in self.spec.personas:  # defined in this file: they always take part
            if username in self.library.personas:
                chosen.setdefault(username, self.library.personas[username])
        if not chosen:
            self.problem("people", "no persona takes part: list at least one")
        if len(chosen) > MAX_PERSONAS_PER_SCENARIO:
            self.problem("people", f"more than {MAX_PERSONAS_PER_SCENARIO} personas take part")
        return tuple(chosen.values())

    def _account_holder(self, where: str, username: str) -> bool:
        person = self.taking_part.get(username)
        if person is None:
            self.problem(where, f"{username!r} does not take part: add it to people")
            return False
        if not may_have_account(person):
            self.problem(where, f"{username!r} cannot have an account (R1: register, age, nationality)")
            return False
        return True

    def _subscriptions(self) -> dict[str, tuple[str, ...]]:
        result: dict[str, tuple[str, ...]] = {}
        for username, keys in self.spec.subscriptions.items():
            if not self._account_holder(f"subscriptions.{username}", username):
                continue
            good = []
            for i, org in enumerate(keys):
                if org not in self.library.organisations:
                    self.problem(f"subscriptions.{username}[{i}]", f"unknown organisation {org!r}")
                elif org in good:
                    self.problem(f"subscriptions.{username}[{i}]", f"{org!r} is in the list twice")
                else:
                    good.append(org)
            result[username] = tuple(good)
        return result

    def _mailboxes(self, subscriptions: dict[str, tuple[str, ...]]) -> dict[str, tuple[Delivery, ...]]:
        result: dict[str, tuple[Delivery, ...]] = {}
        for username, deliveries in self.spec.letters.items():
            if not self._account_holder(f"letters.{username}", username):
                continue
            box = []
            for i, delivery in enumerate(deliveries):
                where = f"letters.{username}[{i}]"
                if delivery.letter is not None:
                    template_key = f"{username}-{i + 1}"
                    if _template_problems(self.name, f"{where}.letter", delivery.letter, self.library, self.problems):
                        continue
                    self.templates[template_key] = _template(template_key, delivery.letter)
                else:
                    assert delivery.template is not None
                    template_key = delivery.template
                    if template_key not in self.templates:
                        self.problem(f"{where}.template", f"unknown letter template {template_key!r}")
                        continue
                org = self.templates[template_key].organisation
                if org not in subscriptions.get(username, ()):
                    self.problem(where, f"{username!r} is not subscribed to {org!r} (R2): add it to subscriptions.{username}")
                    continue
                box.append(Delivery(template_key, delivery.days_ago, read=delivery.read, archived=delivery.archived))
            result[username] = tuple(box)
        return result

    def _cases(self, mailboxes: dict[str, tuple[Delivery, ...]]) -> Iterator[DemoCase]:
        references: set[tuple[str, str]] = set()
        for i, case in enumerate(self.spec.cases):
            where = f"cases[{i}]"
            if not self._account_holder(f"{where}.persona", case.persona):
                continue
            if case.organisation not in self.library.organisations:
                self.problem(f"{where}.organisation", f"unknown organisation {case.organisation!r}")
                continue
            if (case.organisation, case.reference) in references:
                self.problem(f"{where}.reference", f"{case.reference!r} is used twice by {case.organisation!r}")
                continue
            references.add((case.organisation, case.reference))
            bad_step = next((j for j, s in enumerate(case.statuses) if s.step > len(case.steps)), None)
            if bad_step is not None:
                self.problem(f"{where}.statuses[{bad_step}].step", f"there are only {len(case.steps)} steps")
                continue
            if case.letter is not None:
                box = mailboxes.get(case.persona, ())
                if not any(d.template == case.letter and self.templates[d.template].organisation == case.organisation
                           for d in box):
                    self.problem(f"{where}.letter",
                                 f"no letter {case.letter!r} from {case.organisation!r} in the box of {case.persona!r}")
                    continue
            yield DemoCase(
                case.persona, case.organisation, case.title, case.reference, tuple(case.steps),
                opened_days_ago=case.opened_days_ago,
                statuses=tuple(
                    DemoStatus(s.days_ago, s.step, s.text, action=s.action, act_within_days=s.act_within_days,
                               if_not_done=s.if_not_done)
                    for s in case.statuses
                ),
                closed=DemoStatus(case.closed.days_ago, len(case.steps), case.closed.text) if case.closed else None,
                seen_days_ago=case.seen_days_ago,
                letter=case.letter,
            )

    def _legal(self) -> Iterator[tuple[str, DemoRepresentation]]:
        for i, mandate in enumerate(self.spec.legal_mandates):
            where = f"legal_mandates[{i}]"
            client = self._account_holder(f"{where}.client", mandate.client)
            representative = self._account_holder(f"{where}.representative", mandate.representative)
            if not (client and representative):
                continue
            if mandate.client == mandate.representative:
                self.problem(f"{where}.representative", "a person cannot represent themselves")
                continue
            yield mandate.client, DemoRepresentation(
                mandate.representative, mandate.role, mandate.court_reference, mandate.decided_days_ago,
                mandate.until_days_ahead,
            )
