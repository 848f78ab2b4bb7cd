"""The forms of practice mode: which lesson, joining a class, and the trainer's console."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale, gettext as _, lazy_gettext, ngettext
from wtforms import SelectField

from portal.forms import PortalForm, RadiosField, TypedField
from portal.practice import classes, scenarios
from portal.practice.pushes import Push

# What a code or name field keeps as typed (shown again on an error); far above any code.
TYPED_MAX_LENGTH = 100


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


class JoinForm(PortalForm):
    """"Meedoen met een les": the class code from the trainer, and a nickname."""

    code = TypedField(lazy_gettext("Lescode"), max_length=TYPED_MAX_LENGTH, strip=True,
                      description=lazy_gettext("De trainer laat de code zien. Bijvoorbeeld: KM4TQX."),
                      render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"})
    naam = TypedField(lazy_gettext("Hoe wilt u heten in de les?"), max_length=TYPED_MAX_LENGTH, strip=True,
                      description=lazy_gettext("Bijvoorbeeld uw voornaam of een bijnaam. De trainer ziet deze naam."),
                      render_kw={"autocomplete": "off", "spellcheck": "false"})

    def nickname(self) -> str | None:
        """The nickname, or None after saying on the form what is wrong."""
        name = " ".join(str(self.naam.data or "").split())
        if not name:
            self.refuse(self.naam, _("Vul een naam in."))
            return None
        if len(name) > classes.NICKNAME_MAX_LENGTH:
            self.refuse(self.naam, _("Deze naam is te lang. Gebruik hoogstens %(max)d tekens.",
                                     max=classes.NICKNAME_MAX_LENGTH))
            return None
        return name

    def refuse_code(self) -> None:
        if not self.code.data:
            self.refuse(self.code, _("Vul de lescode in."))
        else:
            self.refuse(self.code, _("Deze lescode werkt niet. Kijk of u de code goed heeft overgenomen. "
                                     "Of vraag de trainer om de code."))


class ClassForm(PortalForm):
    """A trainer begins a class: which lesson, and how long it lasts."""

    les = RadiosField(lazy_gettext("Welke les geeft u?"), id="les")
    duur = RadiosField(lazy_gettext("Hoe lang duurt de les?"), id="duur")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        language = str(get_locale() or "nl")
        self.les.choices = [(item.key, item.title(language)) for item in scenarios.lessons()]
        self.duur.choices = [(str(hours), ngettext("%(num)d uur", "%(num)d uur", hours)) for hours in classes.CLASS_HOURS]

    def chosen(self) -> tuple[str, int] | None:
        """The lesson and the hours, or None after saying on the form what is missing."""
        lesson = self.les.data if self.les.data and scenarios.lesson(self.les.data) else None
        hours = int(self.duur.data) if self.duur.data in {str(h) for h in classes.CLASS_HOURS} else None
        if lesson is None:
            self.refuse(self.les, _("Kies een les."))
        if hours is None:
            self.refuse(self.duur, _("Kies hoe lang de les duurt."))
        return (lesson, hours) if lesson is not None and hours is not None else None


class TrainerCodeForm(PortalForm):
    """Back to the console of one's class, with the trainer code."""

    code = TypedField(lazy_gettext("Uw trainerscode"), max_length=TYPED_MAX_LENGTH, strip=True,
                      description=lazy_gettext("U kreeg deze code toen u de les begon. Bijvoorbeeld: ACDE-FGHJ-KMNP."),
                      render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"})

    def refuse_code(self) -> None:
        self.refuse(self.code, _("Deze trainerscode werkt niet. Kijk of u de code goed heeft overgenomen."))


# The value of "everyone" in the push form's choice of learners.
EVERYONE = "iedereen"


class PushForm(PortalForm):
    """What to make happen, and for whom: everyone in the class, or one learner."""

    wat = RadiosField(lazy_gettext("Wat wilt u laten gebeuren?"), id="wat")
    aan = SelectField(lazy_gettext("Voor wie?"), validate_choice=False)

    def __init__(self, learners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.wat.choices = [(push.value, str(PUSH_LABELS[push])) for push in Push]
        self.aan.choices = [(EVERYONE, _("Iedereen in de les")),
                            *((str(sandbox_id), name) for sandbox_id, name in learners)]

    def chosen_push(self) -> Push | None:
        try:
            return Push(self.wat.data)
        except ValueError:
            self.refuse(self.wat, _("Kies wat er moet gebeuren."))
            return None


PUSH_LABELS = {
    Push.LETTER: lazy_gettext("Er komt een nieuwe brief"),
    Push.CASE: lazy_gettext("Een zaak verandert"),
    Push.MANDATE_REQUEST: lazy_gettext("Iemand vraagt om een machtiging"),
    Push.TIMEOUT: lazy_gettext("De sessie is bijna voorbij (oefenen met de waarschuwing)"),
}
