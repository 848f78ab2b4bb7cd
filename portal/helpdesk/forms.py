"""The help-desk visit form: what staff will do for the visitor, and the step it is in."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from wtforms import HiddenField

from portal.domain import visits as rules
from portal.forms import CheckboxesField, PortalForm
from portal.mandates.labels import SCOPE_LABELS
from portal.policy import HELPER_SCOPES, Scope

# The steps after choosing: the citizen agreed, or it is stopped.
STEP_AGREE = "akkoord"
STEP_STOP = "stoppen"


class VisitForm(PortalForm):
    AGREE = STEP_AGREE
    STOP = STEP_STOP

    scope = CheckboxesField(lazy_gettext("Wat wilt u voor de bezoeker doen?"))
    stap = HiddenField()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scope.choices = [(scope.value, str(SCOPE_LABELS[scope]).capitalize()) for scope in HELPER_SCOPES]

    def chosen(self) -> tuple[Scope, ...]:
        """The scopes chosen; none when anything else was sent."""
        try:
            return rules.parse_scopes(self.scope.data)
        except ValueError:
            return ()

    def refuse_nothing_chosen(self) -> None:
        self.refuse(self.scope, _("Kies wat u voor de bezoeker wilt doen."))
