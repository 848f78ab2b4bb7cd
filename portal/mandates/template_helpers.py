"""Words and dates for mandate pages and the acting-for banner."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint
from flask_babel import format_date, format_time
from flask_babel import gettext as _

from portal import policy
from portal.domain import mandates
from portal.mandates import forms
from portal.mandates.labels import ROLE_LABELS, STATE_LABELS, scope_list
from portal.models import LegalRole
from portal.timeutil import as_utc, utcnow


def register(bp: Blueprint) -> None:
    bp.add_app_template_global(scope_list, "scope_words")
    bp.add_app_template_global(lambda role: str(ROLE_LABELS[LegalRole(role)]), "role_word")
    bp.add_app_template_global(policy.scopes_of, "mandate_scopes")
    bp.add_app_template_global(policy.Scope, "Scope")
    bp.add_app_template_global(mandates.last_day, "mandate_last_day")
    bp.add_app_template_global(mandates.first_day, "mandate_first_day")
    bp.add_app_template_global(mandates.today_in_nl, "dutch_day")
    bp.add_app_template_global(policy.first_endpoint, "first_endpoint")
    bp.add_app_template_global(forms.example_date, "example_date")
    bp.add_app_template_global(mandates.CODE_EXAMPLE, "code_example")
    bp.add_app_template_global(lambda m: str(STATE_LABELS[policy.state_of(m, utcnow())]), "mandate_state_word")
    bp.add_app_template_global(lambda m: policy.state_of(m, utcnow()).value, "mandate_state")
    bp.app_context_processor(lambda: {"main_menu": main_menu()})
    bp.add_app_template_filter(_long_date, "long_date")
    bp.add_app_template_filter(_local_time, "local_time")


def _long_date(day: date) -> str:
    return format_date(day, format="long")


def _local_time(moment: datetime) -> str:
    return format_time(as_utc(moment), format="short")


def main_menu() -> list[tuple[str, str, policy.Requirement]]:
    """The main menu: each area with what it needs; the layout leaves out what is refused."""
    return [
        ("messages.inbox", _("Berichtenbox"), policy.Scope.READ_LETTERS),
        ("cases.index", _("Lopende zaken"), policy.Scope.VIEW_CASES),
        ("profile.index", _("Mijn gegevens"), policy.Scope.VIEW_PERSONAL_DATA),
        ("mandates.index", _("Machtigingen"), policy.Scope.MANAGE_MANDATES),
        ("settings.index", _("Instellingen"), policy.Scope.CHANGE_SETTINGS),
    ]
