"""The form layer: every form a person sends is a ``PortalForm`` (a FlaskForm).

A form class declares each field once: its name (what the POST body holds; the input's id is
derived from it), its label, its hint and its input attributes. The macros in
``components/field.html`` render a field from that; ``{{ form.csrf_token }}`` gives the CSRF
token. Rules stay in ``portal.domain``: a view reads the fields, calls the domain, and puts a
refusal on the field it is about with ``form.refuse(field, message)``. The error summary
(``components/error_summary.html``) and the "Fout: " in the page title (``layouts/base.html``)
are both derived from ``form.problems()``, so a view never says by hand that a page has errors.

Only fields without WTForms' own checks are used (no coercion, no choice check): their
messages are English and would say nothing about what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import g, request
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, StringField
from wtforms.validators import StopValidation
from wtforms.widgets import DateInput, HiddenInput


class PortalForm(FlaskForm):
    """A FlaskForm with one error shape: the first message of each field, in field order."""

    class Meta:
        def render_field(self, field: Field, render_kw: dict[str, Any]) -> Any:
            # A hidden input has no label: no id, so a page can hold many small forms.
            if isinstance(field.widget, HiddenInput):
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)  # type: ignore[misc]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if request.method == "GET":
            self._restore_kept_text()

    def _restore_kept_text(self) -> None:
        """After a session timeout: what was typed on this page comes back once
        (``portal.session_timeout`` keeps it; ``portal.security`` puts it in ``g``)."""
        kept: dict[str, str] = g.get("kept_form") or {}
        for field in self:
            if isinstance(field, TypedField) and field.name in kept:
                field.data = kept[field.name][: field.max_length]

    def refuse(self, field: Field, message: str) -> None:
        """Put a refusal on a field. The first one for a field is the one shown."""
        if not field.errors:
            field.errors = [message]
        self._errors = None  # FlaskForm caches ``errors``

    def problems(self) -> list[tuple[str, str]]:
        """What the error summary lists: (the id it links to, the message), in field order."""
        return [(anchor(field), field.errors[0]) for field in self if field.errors and not _hidden(field)]

    @property
    def has_problems(self) -> bool:
        return bool(self.problems())


class QueryForm(PortalForm):
    """A form sent with GET, such as a filter: it changes nothing, so it has no CSRF token.
    The page reads its query string in one place (the same values make its links); the form
    gets what is chosen and only declares and shows its fields."""

    class Meta:
        csrf = False

    def __init__(self, **chosen: Any) -> None:
        super().__init__(formdata=None, data=chosen)


class ButtonForm(PortalForm):
    """A button in its own small POST form (``components/button.html``): only the CSRF token."""


def anchor(field: Field) -> str:
    """The element a field's error links to: the input, or the first choice of a group."""
    return str(getattr(field, "anchor", field.id))


def _hidden(field: Field) -> bool:
    return isinstance(field.widget, HiddenInput)


class TypedField(StringField):
    """Text as typed: cut at ``max_length`` (it is shown again on an error) and, when
    ``strip``, without spaces around it."""

    def __init__(self, label: Any = None, *, max_length: int, strip: bool = False, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.max_length = max_length
        self.strip = strip

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            text = valuelist[0][: self.max_length]
            self.data = text.strip() if self.strip else text

    def _value(self) -> str:
        return self.data or ""


class DayField(TypedField):
    """A day, typed as text in a date input (parsed by the form, e.g. ``parse_day``)."""

    widget = DateInput()


class ChoicesField(Field):
    """A group of radio buttons or checkboxes of one name, rendered by the macros in
    ``components/field.html``. ``choices``: (value, label) pairs, values as text; each choice
    has its own input, with the id ``<field id>-<value>``."""

    def __init__(self, label: Any = None, choices: Iterable[tuple[str, Any]] = (), **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.choices = list(choices)
        # Where the error summary links to, when not the first choice.
        self.anchor_value: str | None = None

    def choice_id(self, value: object) -> str:
        return f"{self.id}-{value}"

    @property
    def anchor(self) -> str:
        if self.anchor_value is not None:
            return self.choice_id(self.anchor_value)
        return self.choice_id(self.choices[0][0]) if self.choices else self.id


class CheckboxesField(ChoicesField):
    """Checkboxes; ``data`` is the list of values sent, as text."""

    def process_data(self, value: Any) -> None:
        self.data = [str(v) for v in value or ()]

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = list(valuelist)


class RadiosField(ChoicesField):
    """Radio buttons; ``data`` is the value sent, as text (None: none)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            self.data = valuelist[0]


class CheckboxField(BooleanField):
    """One checkbox on its own: on only when it sends its own ``value``."""

    def __init__(self, label: Any = None, *, value: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.on_value = value

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = bool(valuelist) and valuelist[0] == self.on_value

    def _value(self) -> str:
        return self.on_value


class Filled:
    """A field that must not be empty, with the words that say what to fill in. Unlike
    WTForms' InputRequired it adds no ``required`` attribute: the form says it itself."""

    field_flags: dict[str, bool] = {}

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: PortalForm, field: Field) -> None:
        if not (field.data or "").strip():
            raise StopValidation(str(self.message))


def digits(values: Iterable[str], max_length: int = 9) -> frozenset[int]:
    """The whole numbers among posted values (ids); anything else is ignored."""
    return frozenset(int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= max_length)


def unposted(form_class: type[PortalForm]) -> Callable[[], PortalForm]:
    """A form for a template to show on any page: it never reads what was posted (the page
    may answer another form's POST, or one too large to read)."""
    return lambda: form_class(formdata=None)
