"""The forms of the Berichtenbox: the filter by sender, and the archive and restore buttons
of a letter (which list they were pressed on, if any)."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from wtforms import HiddenField, SelectField

from portal.forms import PortalForm, QueryForm
from portal.messages.boxview import SENDER_ARG, BoxView
from portal.models import Organisation

# The lists a button in the letter list says it was pressed on ("lijst").
INBOX_LIST = "postvak"
ARCHIVE_LIST = "archief"


class SenderForm(QueryForm):
    """Letters of one organisation, or of all (``BoxView`` reads the choice)."""

    sender = SelectField(lazy_gettext("Van welke organisatie?"), name=SENDER_ARG, validate_choice=False)

    def __init__(self, chosen: int | None, senders: Iterable[Organisation]) -> None:
        super().__init__(sender="" if chosen is None else str(chosen))
        self.sender.choices = [("", _("Alle organisaties")), *((str(org.id), org.name) for org in senders)]


class MoveForm(PortalForm):
    """Archive or restore. From a list, its filter and page come along (``BoxView``), so
    the same page of the same list is shown again."""

    lijst = HiddenField()

    @staticmethod
    def args(view: BoxView, list_name: str) -> dict[str, str]:
        """The hidden values of a button in a list: the list, its filter and its page."""
        return {**view.current_args(), "lijst": list_name}

    @property
    def from_list(self) -> bool:
        return bool(self.lijst.data)

    @property
    def from_archive(self) -> bool:
        return self.lijst.data == ARCHIVE_LIST
