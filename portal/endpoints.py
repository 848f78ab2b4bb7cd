"""What every endpoint of the citizen's site is, in one table: ``ENDPOINTS``.

One row per endpoint says what it needs (a scope, or a ``Need``), whether a visitor may open it
without logging in, how the citizen's log names what a helper did there, whether it is an
entry of the main menu, and whether a helper may land there after choosing for whom to act.
Everything else asks the table (``EndpointTable``): ``portal.policy`` (deny by default: an
endpoint without a row is refused to everybody), ``portal.security`` (login required except
for public rows), the log pages (``portal.mandates.log``) and the main menu
(``portal.templating``). Adding a page is one row here plus its view and
template. No Flask here: ``portal.policy`` and the tests read it too.

The organisation API (``api.*``) is not in this table: it authenticates every request itself.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from portal.models import Scope


def _(msgid: str) -> str:
    """Marks a text for the catalogues (``pybabel extract`` reads ``_``); it is translated
    where it is shown (the deferred-translation idiom of Python's gettext documentation)."""
    return msgid


class Need(enum.StrEnum):
    """What an endpoint needs besides a scope."""

    # Anyone logged in, acting for someone or not: choosing, stopping, logging out, language.
    ANYONE = "anyone"
    # Only for yourself: what a helper does with their own mandates and their own log.
    SELF = "self"
    # Only help-desk staff (registered by an administrator), for themselves.
    HELP_DESK = "help_desk"


Requirement = Scope | Need


@dataclass(frozen=True)
class MenuEntry:
    """An entry of the main menu; the layout leaves out what the grant refuses."""

    position: int  # left to right
    label: str  # a msgid


@dataclass(frozen=True)
class Endpoint:
    """One endpoint of the site, and everything the portal needs to know about it."""

    name: str
    needs: Requirement
    # A visitor may open it without logging in (then ``needs`` is ``Need.ANYONE``).
    public: bool = False
    # What the citizen's log says a helper did here (a msgid). Every endpoint under a scope
    # has one; without it the log says only "Bekeek een pagina" or "Deed iets".
    log: str | None = None
    menu: MenuEntry | None = None
    # Where a helper lands after choosing: the lowest number the grant opens.
    first_page: int | None = None
    # A request the page makes by itself (the open Berichtenbox asking for new letters): it
    # does not keep a login alive, and the citizen's log names it only when it showed
    # something (the view calls ``acting.shown``).
    background: bool = False

    def __post_init__(self) -> None:
        if self.public and self.needs is not Need.ANYONE:
            raise ValueError(f"{self.name}: a public endpoint is open to anyone")
        if self.first_page is not None and not isinstance(self.needs, Scope):
            raise ValueError(f"{self.name}: a first page is one a mandate opens (a scope)")
        if isinstance(self.needs, Scope) and self.log is None:
            raise ValueError(f"{self.name}: a helper can reach it, so the citizen's log must name it")


ROWS: tuple[Endpoint, ...] = (
    # Berichtenbox
    Endpoint("messages.inbox", Scope.READ_LETTERS, log=_("Bekeek uw Berichtenbox"),
              menu=MenuEntry(1, _("Berichtenbox")), first_page=1),
    Endpoint("messages.archive", Scope.READ_LETTERS, log=_("Bekeek uw archief")),
    # The open Berichtenbox asks every 20 seconds whether new letters came in.
    Endpoint("messages.new_letters", Scope.READ_LETTERS, log=_("Zag nieuwe berichten in uw Berichtenbox"),
              background=True),
    Endpoint("messages.letter", Scope.READ_LETTERS, log=_("Opende een bericht")),
    Endpoint("messages.print_view", Scope.READ_LETTERS, log=_("Bekeek een bericht om af te drukken")),
    Endpoint("messages.attachment", Scope.READ_LETTERS, log=_("Downloadde een bijlage")),
    Endpoint("messages.archive_letter", Scope.MANAGE_LETTERS, log=_("Zette een bericht in het archief")),
    Endpoint("messages.restore_letter", Scope.MANAGE_LETTERS, log=_("Zette een bericht terug in de Berichtenbox")),
    # Lopende zaken
    Endpoint("cases.index", Scope.VIEW_CASES, log=_("Bekeek uw lopende zaken"),
              menu=MenuEntry(2, _("Lopende zaken")), first_page=2),
    Endpoint("cases.case", Scope.VIEW_CASES, log=_("Bekeek een zaak")),
    # Mijn gegevens
    Endpoint("profile.index", Scope.VIEW_PERSONAL_DATA, log=_("Bekeek uw gegevens"),
              menu=MenuEntry(3, _("Mijn gegevens")), first_page=3),
    # Instellingen
    Endpoint("settings.index", Scope.CHANGE_SETTINGS, log=_("Bekeek uw instellingen"),
              menu=MenuEntry(5, _("Instellingen")), first_page=4),
    Endpoint("settings.save_subscriptions", Scope.CHANGE_SETTINGS, log=_("Wijzigde van welke organisaties u post krijgt")),
    Endpoint("settings.email", Scope.CHANGE_SETTINGS, log=_("Bekeek uw instellingen voor e-mail")),
    Endpoint("settings.email_address_form", Scope.CHANGE_SETTINGS, log=_("Bekeek uw e-mailadres")),
    Endpoint("settings.save_email_address", Scope.CHANGE_SETTINGS, log=_("Wijzigde uw e-mailadres")),
    Endpoint("settings.save_email_preferences", Scope.CHANGE_SETTINGS, log=_("Wijzigde uw instellingen voor e-mail")),
    Endpoint("settings.remove_email_address", Scope.CHANGE_SETTINGS, log=_("Haalde uw e-mailadres weg")),
    Endpoint("settings.email_confirm_page", Scope.CHANGE_SETTINGS, log=_("Bekeek de bevestiging van uw e-mailadres")),
    Endpoint("settings.confirm_email_address", Scope.CHANGE_SETTINGS, log=_("Bevestigde uw e-mailadres")),
    # Language and text size: also before logging in.
    Endpoint("settings.language", Need.ANYONE, public=True),
    Endpoint("settings.text_size", Need.ANYONE, public=True),
    # The start page, logging in and out.
    Endpoint("start.index", Need.ANYONE, public=True),
    Endpoint("auth.login", Need.ANYONE, public=True),
    Endpoint("auth.callback", Need.ANYONE, public=True),
    Endpoint("auth.logout", Need.ANYONE),
    # The timeout dialog's "Ingelogd blijven": also while acting for someone.
    Endpoint("auth.keep_alive", Need.ANYONE),
    Endpoint("auth.logged_out", Need.ANYONE, public=True),
    Endpoint("auth.refused", Need.ANYONE, public=True),
    Endpoint("auth.eidas", Need.ANYONE, public=True),
    Endpoint("static", Need.ANYONE, public=True),
    # Hulp nodig?: public, the same for everyone; whoever cannot log in needs help most.
    Endpoint("help.index", Need.ANYONE, public=True),
    Endpoint("help.find", Need.ANYONE, public=True),
    # "Wat is dit?" in the practice bar: what the practice environment is.
    Endpoint("help.practice", Need.ANYONE, public=True),
    # Practice mode only: starting, resetting and stopping this browser's sandbox. They are
    # about the browser, not about an account: also before logging in.
    Endpoint("practice.start", Need.ANYONE, public=True),
    Endpoint("practice.begin", Need.ANYONE, public=True),
    Endpoint("practice.reset", Need.ANYONE, public=True),
    Endpoint("practice.stop", Need.ANYONE, public=True),
    Endpoint("practice.join", Need.ANYONE, public=True),
    # The trainer's console: the trainer code (a cookie) is the key, not a login.
    Endpoint("practice.trainer_start", Need.ANYONE, public=True),
    Endpoint("practice.begin_class", Need.ANYONE, public=True),
    Endpoint("practice.trainer_return", Need.ANYONE, public=True),
    Endpoint("practice.trainer_leave", Need.ANYONE, public=True),
    Endpoint("practice.console", Need.ANYONE, public=True),
    Endpoint("practice.learners", Need.ANYONE, public=True),
    Endpoint("practice.push", Need.ANYONE, public=True),
    # Lesson cards, for trainers to print: the same for everyone, nothing personal.
    Endpoint("practice.cards_index", Need.ANYONE, public=True),
    Endpoint("practice.cards", Need.ANYONE, public=True),
    # "Uw e-mail" in the practice bar: the e-mails the portal sent to this sandbox's persons.
    Endpoint("practice.mail", Need.ANYONE, public=True),
    Endpoint("practice.mail_message", Need.ANYONE, public=True),
    # Acting for someone: choosing and stopping is open to anyone logged in.
    Endpoint("mandates.choose", Need.ANYONE),
    Endpoint("mandates.act_for", Need.ANYONE),
    Endpoint("mandates.stop_acting", Need.ANYONE),
    # The citizen's side of mandates: the citizen, or their legal representative.
    Endpoint("mandates.index", Scope.MANAGE_MANDATES, log=_("Bekeek uw machtigingen"),
              menu=MenuEntry(4, _("Machtigingen")), first_page=5),
    Endpoint("mandates.grant_form", Scope.MANAGE_MANDATES, log=_("Bekeek het formulier om een machtiging te geven")),
    Endpoint("mandates.grant", Scope.MANAGE_MANDATES, log=_("Gaf een machtiging")),
    Endpoint("mandates.detail", Scope.MANAGE_MANDATES, log=_("Bekeek een machtiging")),
    Endpoint("mandates.end", Scope.MANAGE_MANDATES, log=_("Stopte een machtiging")),
    Endpoint("mandates.change_form", Scope.MANAGE_MANDATES, log=_("Bekeek het formulier om een machtiging aan te passen")),
    Endpoint("mandates.change", Scope.MANAGE_MANDATES, log=_("Wijzigde een machtiging")),
    Endpoint("mandates.approve", Scope.MANAGE_MANDATES, log=_("Keurde een machtiging goed")),
    Endpoint("mandates.decline", Scope.MANAGE_MANDATES, log=_("Wees een machtiging af")),
    Endpoint("mandates.log", Scope.MANAGE_MANDATES, log=_("Bekeek wat anderen voor u deden")),
    # The helper's side: only for yourself, never while acting for someone.
    Endpoint("mandates.held", Need.SELF),
    Endpoint("mandates.accept", Need.SELF),
    Endpoint("mandates.refuse", Need.SELF),
    Endpoint("mandates.give_back", Need.SELF),
    Endpoint("mandates.request_form", Need.SELF),
    Endpoint("mandates.request", Need.SELF),
    Endpoint("mandates.withdraw_ask", Need.SELF),
    Endpoint("mandates.activate_form", Need.SELF),
    Endpoint("mandates.activate", Need.SELF),
    Endpoint("mandates.my_actions", Need.SELF),
    # Assisted sessions at a help desk.
    Endpoint("helpdesk.index", Need.HELP_DESK),
    Endpoint("helpdesk.start_visit", Need.HELP_DESK),
)

# Where a helper goes when the grant opens no first page.
NO_FIRST_PAGE = "mandates.choose"


class EndpointTable:
    """The rows, and the questions the rest of the portal asks of them. Read it at call time
    (``endpoints.ENDPOINTS``), never copy a view of it into a constant: then a test can put a
    table with one more row in its place and see that row everywhere."""

    def __init__(self, rows: Iterable[Endpoint]) -> None:
        self.rows = tuple(rows)
        by_name: dict[str, Endpoint] = {}
        for row in self.rows:
            if row.name in by_name:
                raise ValueError(f"{row.name} has two rows")
            by_name[row.name] = row
        self._by_name = MappingProxyType(by_name)
        for what, numbers in (("menu position", [row.menu.position for row in self.rows if row.menu]),
                              ("first page", [row.first_page for row in self.rows if row.first_page is not None])):
            if len(numbers) != len(set(numbers)):
                raise ValueError(f"two rows have the same {what}")

    def with_rows(self, *rows: Endpoint) -> EndpointTable:
        return EndpointTable((*self.rows, *rows))

    def get(self, name: str) -> Endpoint | None:
        return self._by_name.get(name)

    def __iter__(self) -> Iterator[Endpoint]:
        return iter(self.rows)

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(self._by_name)

    @cached_property
    def needs(self) -> Mapping[str, Requirement]:
        return MappingProxyType({row.name: row.needs for row in self.rows})

    @cached_property
    def public(self) -> frozenset[str]:
        """The only endpoints a visitor can reach without logging in."""
        return frozenset(row.name for row in self.rows if row.public)

    @cached_property
    def background(self) -> frozenset[str]:
        """Requests a page makes by itself: no activity that keeps a login alive."""
        return frozenset(row.name for row in self.rows if row.background)

    @cached_property
    def log_labels(self) -> Mapping[str, str]:
        """What the citizen's log says a helper did, by endpoint (msgids)."""
        return MappingProxyType({row.name: row.log for row in self.rows if row.log is not None})

    @cached_property
    def menu(self) -> tuple[tuple[Endpoint, MenuEntry], ...]:
        """The main menu, left to right."""
        entries = [(row, row.menu) for row in self.rows if row.menu is not None]
        return tuple(sorted(entries, key=lambda pair: pair[1].position))

    @cached_property
    def first_pages(self) -> tuple[tuple[str, Scope], ...]:
        """Where a helper may land, in order, with the scope each needs."""
        pages = [(row.first_page, row.name, row.needs) for row in self.rows
                 if row.first_page is not None and isinstance(row.needs, Scope)]
        return tuple((name, scope) for _order, name, scope in sorted(pages))


ENDPOINTS = EndpointTable(ROWS)
