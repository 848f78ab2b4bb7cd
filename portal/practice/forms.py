"""The form to start practising: which lesson."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale, gettext as _

from portal.forms import PortalForm, RadiosField
from portal.practice import scenarios


class StartForm(PortalForm):
    """"Begin met oefenen": the lesson whose world this browser gets."""

    les = RadiosField(id="les")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        language = str(get_locale() or "nl")
        self.les.choices = [(item.key, item.title(language)) for item in scenarios.lessons()]

    def chosen_lesson(self) -> str | None:
        """The lesson chosen, or None after saying on the form what is missing."""
        value = self.les.data
        if value and scenarios.lesson(value) is not None:
            return str(value)
        self.refuse(self.les, _("Kies een les."))
        return None
