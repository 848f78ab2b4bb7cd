"""The settings forms: organisations (R2), the e-mail address and wishes (R6), language and
text size. Rules stay in ``portal.domain``; these only name and read the fields."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext
from flask_babel import ngettext
from wtforms import HiddenField, StringField
from wtforms.widgets import EmailInput

from portal.domain.subscriptions import SubscriptionChoice
from portal.forms import CheckboxField, CheckboxesField, PortalForm, RadiosField, TypedField

# Kept when the address form is shown again with an error; far above any real address.
MAX_TYPED_LENGTH = 1000
NOTIFY_ON = "aan"
NOTIFY_OFF = "uit"
REMIND = "ja"
# "Grotere tekst": only these values are stored (LARGE_TEXT in portal/templating.py, which
# reads it on every page); anything else is ignored.
NORMAL_TEXT = "gewoon"


class SubscriptionsForm(PortalForm):
    """From which organisations the citizen wants post here (the others: on paper)."""

    organisatie = CheckboxesField()

    def __init__(self, choices: list[SubscriptionChoice], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.organisatie.choices = [(str(c.organisation.id), c.organisation.name) for c in choices]
        if not self.is_submitted():
            self.organisatie.data = [str(c.organisation.id) for c in choices if c.subscribed]


class EmailAddressForm(PortalForm):
    email = TypedField(
        lazy_gettext("E-mailadres"), max_length=MAX_TYPED_LENGTH, widget=EmailInput(),
        description=lazy_gettext("Bijvoorbeeld: naam@voorbeeld.nl"),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class EmailPreferencesForm(PortalForm):
    melding = RadiosField(choices=[
        (NOTIFY_ON, lazy_gettext("Ja, stuur mij een e-mail bij nieuwe post en bij nieuws over mijn zaken")),
        (NOTIFY_OFF, lazy_gettext("Nee, stuur mij geen e-mail")),
    ])
    herinnering = CheckboxField(value=REMIND)

    def __init__(self, reminder_weeks: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.herinnering.label.text = ngettext(
            "Stuur mij ook een e-mail als ik een bericht na %(num)d week nog niet heb gelezen",
            "Stuur mij ook een e-mail als ik een bericht na %(num)d weken nog niet heb gelezen",
            reminder_weeks)


class LanguageForm(PortalForm):
    """The language menu: one button per language (``taal``), and the page it was on."""

    taal = StringField()
    terug = HiddenField()


class TextSizeForm(PortalForm):
    """"Grotere tekst" on or off (``tekst``), and the page it was on."""

    tekst = StringField()
    terug = HiddenField()

