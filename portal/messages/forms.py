"""The archive and restore buttons of a letter: which list they were pressed on, if any."""

from __future__ import annotations

from wtforms import HiddenField

from portal.forms import PortalForm
from portal.messages.boxview import BoxView

# The lists a button in the letter list says it was pressed on ("lijst").
INBOX_LIST = "postvak"
ARCHIVE_LIST = "archief"


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
