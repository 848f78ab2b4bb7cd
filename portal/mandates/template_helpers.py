"""Words and dates for mandate pages and the acting-for banner. What every page uses (the
main menu, date filters, text size) is in ``portal.templating``."""

from __future__ import annotations

from flask import Blueprint

from portal import policy
from portal.domain import mandates
from portal.mandates import forms
from portal.mandates.labels import ROLE_LABELS, STATE_LABELS, scope_list
from portal.models import LegalRole
from portal.timeutil import utcnow


def register(bp: Blueprint) -> None:
    bp.add_app_template_global(scope_list, "scope_words")
    bp.add_app_template_global(lambda role: str(ROLE_LABELS[LegalRole(role)]), "role_word")
    bp.add_app_template_global(policy.scopes_of, "mandate_scopes")
    bp.add_app_template_global(policy.Scope, "Scope")
    bp.add_app_template_global(mandates.last_day, "mandate_last_day")
    bp.add_app_template_global(mandates.first_day, "mandate_first_day")
    bp.add_app_template_global(mandates.today_in_nl, "dutch_day")
    bp.add_app_template_global(forms.example_date, "example_date")
    bp.add_app_template_global(mandates.CODE_EXAMPLE, "code_example")
    bp.add_app_template_global(lambda m: str(STATE_LABELS[policy.state_of(m, utcnow())]), "mandate_state_word")
    bp.add_app_template_global(lambda m: policy.state_of(m, utcnow()).value, "mandate_state")
