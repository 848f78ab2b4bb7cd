"""The postcode search of the help page (the rules: ``portal.domain.help_points``)."""

from __future__ import annotations

from flask_babel import lazy_gettext

from portal.forms import PortalForm, TypedField

# What is shown again in the field after an error; far above any real postcode.
MAX_KEPT_LENGTH = 100


class PostcodeForm(PortalForm):
    postcode = TypedField(
        lazy_gettext("Uw postcode"), max_length=MAX_KEPT_LENGTH,
        description=lazy_gettext("Bijvoorbeeld: 3511 AB. De letters mag u weglaten."),
        render_kw={"autocomplete": "postal-code", "spellcheck": "false"},
    )
