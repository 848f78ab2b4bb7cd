"""Demo letters: realistic Dutch post in plain language (B1), with real PDF attachments.

The templates are data, in ``portal/scenarios/files/brieven.toml`` (and a scenario file may
add its own, docs/scenarios.md); filling them in and making the PDFs is code, here. Each
template is filled in for one person and one day; ``draft_for`` turns it into a ``LetterDraft`` so the letter goes through the real rules (``place_letter``). Years and dates
follow the day the letter is placed, so a fresh demo always looks current.

Placeholders in texts: ``{name}``, ``{year}``, ``{prev_year}``, ``{coming_year}`` (next year
for post sent in November or December, else this year), ``{act_by}``, ``{placed}``,
``{reference}``, ``{city}``, ``{address}`` (street and place).
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta
from typing import Protocol

from portal.demo.organisations import BY_KEY
from portal.demo.pdf import dutch_date, leaflet_pdf, letter_pdf
from portal.domain.attachments import AttachmentFile
from portal.domain.letters import LetterDraft
from portal.scenarios import DEMO, load_scenarios
from portal.scenarios.model import AttachmentTemplate, DemoOrganisation, LetterTemplate

__all__ = ["TEMPLATES", "AttachmentTemplate", "LetterTemplate", "address_lines", "build_draft", "draft_for"]

COUNTRY_NAMES = {"NL": "", "ES": "SPANJE", "DE": "DUITSLAND", "BE": "BELGIË"}


class Addressee(Protocol):
    """What a letter needs of its reader: a ``Person`` row and a ``PracticePerson`` both fit."""

    @property
    def full_name(self) -> str: ...

    street: str
    house_number: str
    postcode: str
    city: str
    residence_country: str


TEMPLATES: dict[str, LetterTemplate] = load_scenarios()[DEMO].templates
"""Every letter template of the shipped library (brieven.toml), by key, in file order."""


def reference_for(template: LetterTemplate, person: Addressee, placed_on: date) -> str:
    """A stable made-up reference: the same person and template give the same number."""
    number = zlib.crc32(f"{template.key}|{person.full_name}|{placed_on.year}".encode()) % 1_000_000
    return f"{template.reference_prefix}-{placed_on.year}-{number:06d}"


def build_draft(template_key: str, person: Addressee, placed_on: date) -> LetterDraft:
    """The shipped letter ``template_key`` for ``person``, as placed on ``placed_on``.

    Raises KeyError for an unknown template.
    """
    template = TEMPLATES[template_key]
    return draft_for(template, BY_KEY[template.organisation], person, placed_on)


def draft_for(
    template: LetterTemplate, organisation: DemoOrganisation, person: Addressee, placed_on: date
) -> LetterDraft:
    """The letter ``template`` from ``organisation`` for ``person``, as placed on ``placed_on``."""
    act_by = (
        placed_on + timedelta(days=template.act_within_days)
        if template.act_within_days is not None
        else None
    )
    reference = reference_for(template, person, placed_on)
    values = {
        "name": person.full_name,
        "year": placed_on.year,
        "prev_year": placed_on.year - 1,
        "coming_year": placed_on.year + 1 if placed_on.month >= 11 else placed_on.year,
        "act_by": dutch_date(act_by) if act_by else "",
        "placed": dutch_date(placed_on),
        "reference": reference,
        "city": person.city,
        "address": ", ".join(line for line in address_lines(person)[1:3]),
    }
    attachments = []
    for item in template.attachments:
        title = item.title.format_map(values)
        lines = [line.format_map(values) for line in item.lines]
        if item.personal:
            content = letter_pdf(
                title, lines, sender=organisation.name, recipient=address_lines(person),
                dated=placed_on, reference=reference,
            )
        else:
            content = leaflet_pdf(title, lines, sender=organisation.name)
        attachments.append(
            AttachmentFile(item.filename.format_map(values), content, personal=item.personal)
        )
    return LetterDraft(
        subject=template.subject.format_map(values),
        body=template.body.format_map(values),
        reference=reference,
        act_by=act_by,
        action=template.action.format_map(values) if template.action else None,
        if_not_done=template.if_not_done,
        sender_url=organisation.website,
        attachments=tuple(attachments),
    )


def address_lines(person: Addressee) -> list[str]:
    """The address block of a letter: name, street, postcode and city, country if abroad."""
    lines = [person.full_name]
    street = " ".join(p for p in (person.street, person.house_number) if p)
    if street:
        lines.append(street)
    place = " ".join(p for p in (person.postcode, person.city) if p)
    if place:
        lines.append(place)
    country = COUNTRY_NAMES.get(person.residence_country, person.residence_country)
    if country:
        lines.append(country)
    return lines
