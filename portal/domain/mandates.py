"""Mandates (machtigingen): the four ways in, ending them, and what each side sees.

Whether a mandate holds at a moment is ``portal.policy.state_of``; this module changes
mandates and finds them. Every function takes ``now``; the caller commits.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from portal.domain.accounts import account_with_bsn
from portal.domain.bsn import is_valid_bsn, mask_bsn
from portal.domain.worlds import REGISTER, world_of
from portal.models import Account, EndReason, Mandate, MandateAsk, MandateKind, Organisation
from portal.models.organisation import PORTAL_OIN
from portal.policy import HELPER_SCOPES, MandateState, Scope, origin_stopped, state_of
from portal.timeutil import as_utc


def active_held(session: Session, helper_id: int, now: datetime) -> list[Mandate]:
    """The mandates this helper can act under right now, by the citizen's name."""
    candidates = session.scalars(
        select(Mandate).where(
            Mandate.helper_id == helper_id,
            Mandate.ended_at.is_(None),
            Mandate.accepted_at.is_not(None),
            Mandate.starts_at <= now,
            or_(Mandate.ends_at.is_(None), Mandate.ends_at > now),
        )
    ).unique()
    held = [m for m in candidates if state_of(m, now) is MandateState.ACTIVE]
    return sorted(held, key=lambda m: (m.giver.person.surname, m.giver.person.given_names, str(m.id)))


def find_active_held(session: Session, helper_id: int, mandate_id: uuid.UUID, now: datetime) -> Mandate | None:
    """This helper's mandate, if it holds now; else None."""
    mandate = session.get(Mandate, mandate_id)
    if mandate is None or mandate.helper_id != helper_id or state_of(mandate, now) is not MandateState.ACTIVE:
        return None
    return mandate


def end(session: Session, mandate: Mandate, *, by_id: int | None, reason: EndReason, now: datetime) -> bool:
    """End a mandate at once. False when it had already ended. It gives nothing from the
    helper's very next request on (``portal.acting`` checks on every request)."""
    if mandate.ended_at is not None:
        return False
    mandate.ended_at = now
    mandate.ended_by_id = by_id
    mandate.end_reason = reason
    return True


# Dates on mandate pages are days in the Netherlands; stored moments are UTC.
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def start_of_day(day: date) -> datetime:
    """The first moment of a Dutch calendar day, in UTC."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TIME).astimezone(UTC)


def end_after_day(day: date) -> datetime:
    """The first moment after a Dutch calendar day: a mandate "until and including" ``day``."""
    return start_of_day(day + timedelta(days=1))


def last_day(mandate: Mandate) -> date | None:
    """The last Dutch calendar day on which the mandate holds (None: no end date)."""
    if mandate.ends_at is None:
        return None
    return (as_utc(mandate.ends_at).astimezone(LOCAL_TIME) - timedelta(microseconds=1)).date()


def first_day(mandate: Mandate) -> date:
    return as_utc(mandate.starts_at).astimezone(LOCAL_TIME).date()


# ---------------------------------------------------------------------------------------
# The ways in that the citizen and the helper arrange themselves: (a) the citizen offers,
# the helper accepts; (b) the helper asks, the citizen approves online or with a code.
# ---------------------------------------------------------------------------------------

# A mandate lasts at most this many years from its first day (a day more is refused).
MAX_YEARS = 5
# An offer or request without an answer lapses after this many days.
PENDING_DAYS = 30
# The one-time activation code of a request works this many days …
ACTIVATION_CODE_DAYS = 30
# … and for at most this many wrong tries. The tries count per helper and citizen: a new
# request starts with the tries of the pair's requests of the last CODE_TRIES_DAYS days, so
# withdrawing and asking again gives no fresh tries.
MAX_CODE_ATTEMPTS = 5
CODE_TRIES_DAYS = 30
# A helper asks at most this many times a Dutch calendar day (asks that found nobody count
# too); a citizen gets at most this many requests a day, from all helpers together. Beyond
# that the request is not delivered, and the helper sees what he always sees.
MAX_ASKS_PER_DAY = 5
MAX_REQUESTS_PER_CITIZEN_PER_DAY = 3
# The code: this many characters from an alphabet without look-alikes (no 0/O, 1/I/L).
CODE_LENGTH = 8
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# What the code field's hint shows as an example (a test checks it is a possible code).
CODE_EXAMPLE = "K7QP3WXA"
# Ended and expired mandates stay listed this long, then go (the daily job removes them).
RETENTION_MONTHS = 15
# The citizen gets a letter this many days before a mandate ends.
EXPIRY_WARNING_DAYS = 30


class MandateRule(enum.StrEnum):
    """Why an offer, request, answer or code was refused. Pages turn these into words."""

    # Wrong BSN, wrong surname, unknown person or no account: one rule, so a form never
    # tells whether someone has an account.
    PERSON_NOT_FOUND = "person_not_found"
    YOURSELF = "yourself"
    NO_SCOPE = "no_scope"
    SCOPE_NOT_ALLOWED = "scope_not_allowed"
    NO_ORGANISATION = "no_organisation"
    START_MISSING = "start_missing"
    START_IN_PAST = "start_in_past"
    END_MISSING = "end_missing"
    END_BEFORE_START = "end_before_start"
    TOO_LONG = "too_long"
    # Asking: the helper asked MAX_ASKS_PER_DAY times today (says nothing about anyone).
    ASKED_TOO_OFTEN = "asked_too_often"
    # Answering: the offer or request is no longer open.
    NOT_PENDING = "not_pending"
    LAPSED = "lapsed"
    # The activation code.
    CODE_MISSING = "code_missing"
    CODE_WRONG = "code_wrong"
    CODE_EXPIRED = "code_expired"
    CODE_USED_UP = "code_used_up"
    # A court appointment is ended by an administrator only.
    LEGAL_NOT_ENDABLE = "legal_not_endable"
    # Changing: a court appointment only by an administrator; an assisted visit, or a
    # mandate that ended, expired or lapsed, not at all.
    LEGAL_NOT_CHANGEABLE = "legal_not_changeable"
    NOT_CHANGEABLE = "not_changeable"
    # Changing a mandate that already started: its last day may not lie before today.
    END_IN_PAST = "end_in_past"
    # Approving, giving or changing a mandate whose helper is the one acting, under whatever
    # mandate they act (a representative approving his own request for his client).
    OWN_MANDATE = "own_mandate"


class MandateError(ValueError):
    """One or more rules were broken; nothing was changed (except a counted code try)."""

    def __init__(self, *rules: MandateRule) -> None:
        super().__init__(", ".join(rule.value for rule in rules))
        self.rules: tuple[MandateRule, ...] = rules


@dataclass(frozen=True)
class Terms:
    """What a mandate gives and for how long, as typed in a form (days are Dutch days).

    ``organisation_ids`` None: letters of every organisation; else only of these (only
    meaningful with ``Scope.READ_LETTERS``).
    """

    scopes: frozenset[Scope]
    organisation_ids: frozenset[int] | None
    first: date | None
    last: date | None


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def subtract_months(moment: datetime, months: int) -> datetime:
    """The same moment ``months`` calendar months earlier (the day clamped to the month)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    days_in_month = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
    return moment.replace(year=year, month=month, day=min(moment.day, days_in_month))


def today_in_nl(now: datetime) -> date:
    """The Dutch calendar day of ``now``."""
    return as_utc(now).astimezone(LOCAL_TIME).date()


def check_terms(terms: Terms, today: date) -> list[MandateRule]:
    """Every rule the terms break (empty: fine). ``today`` is the Dutch day of now."""
    problems = _check_what(terms)
    if terms.first is None:
        problems.append(MandateRule.START_MISSING)
    elif terms.first < today:
        problems.append(MandateRule.START_IN_PAST)
    return problems + _check_end(terms)


def _check_what(terms: Terms) -> list[MandateRule]:
    """The scopes and the organisations of the terms."""
    problems: list[MandateRule] = []
    if not terms.scopes:
        problems.append(MandateRule.NO_SCOPE)
    elif not terms.scopes <= set(HELPER_SCOPES):
        problems.append(MandateRule.SCOPE_NOT_ALLOWED)
    if terms.organisation_ids is not None and not terms.organisation_ids and Scope.READ_LETTERS in terms.scopes:
        problems.append(MandateRule.NO_ORGANISATION)
    return problems


def _check_end(terms: Terms, today: date | None = None) -> list[MandateRule]:
    """The last day: given, not before the first day (nor, with ``today``, before today),
    at most ``MAX_YEARS`` after the first day."""
    if terms.last is None:
        return [MandateRule.END_MISSING]
    if terms.first is None:
        return []
    if terms.last < terms.first:
        return [MandateRule.END_BEFORE_START]
    if today is not None and terms.last < today:
        return [MandateRule.END_IN_PAST]
    if terms.last > add_years(terms.first, MAX_YEARS):
        return [MandateRule.TOO_LONG]
    return []


def _normal_name(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_person_account(session: Session, bsn: str, surname: str, *, world: int | None) -> Account | None:
    """The account of the person with this BSN and surname in ``world`` (the world of who
    is looking); None for every kind of miss.

    The surname is compared without regard to case or surrounding spaces; the surname
    with its prefix ("de Vries") is accepted too.
    """
    bsn = bsn.strip()
    if not is_valid_bsn(bsn) or not surname.strip():
        return None
    account = account_with_bsn(session, bsn, world=world)
    if account is None:
        return None
    person = account.person
    typed = _normal_name(surname)
    names = {_normal_name(person.surname), _normal_name(f"{person.surname_prefix} {person.surname}")}
    return account if typed in names else None


def _known_organisations(session: Session, terms: Terms) -> Terms:
    """The terms with only organisations a mandate can be limited to: an unknown id, or the
    portal's own sender, is dropped (so "only these" never silently becomes "all")."""
    if not terms.organisation_ids:
        return terms
    known = frozenset(
        session.scalars(
            select(Organisation.id).where(Organisation.id.in_(terms.organisation_ids), Organisation.oin != PORTAL_OIN)
        )
    )
    return replace(terms, organisation_ids=known)


def _new_mandate(session: Session, kind: MandateKind, giver_id: int, helper_id: int, terms: Terms,
                 created_by_id: int, now: datetime) -> Mandate:
    assert terms.first is not None and terms.last is not None
    mandate = Mandate(
        kind=kind,
        giver_id=giver_id,
        helper_id=helper_id,
        scopes=frozenset(terms.scopes),
        starts_at=start_of_day(terms.first),
        ends_at=end_after_day(terms.last),
        created_at=now,
        created_by_id=created_by_id,
        accepted_at=None,
        activation_attempts=0,
    )
    mandate.letter_organisations = _letter_organisations(session, terms)
    session.add(mandate)
    session.flush()
    return mandate


def _letter_organisations(session: Session, terms: Terms) -> list[Organisation]:
    """The organisations the helper may read letters of; empty: every organisation."""
    if not terms.organisation_ids or Scope.READ_LETTERS not in terms.scopes:
        return []
    return list(session.scalars(
        select(Organisation).where(Organisation.id.in_(terms.organisation_ids)).order_by(Organisation.name)
    ))


def refuse_own(mandate: Mandate, actor_id: int) -> None:
    """Nobody approves, gives or changes a mandate of which they are the helper: not for
    themselves, and not while acting for the citizen under any mandate."""
    if mandate.helper_id == actor_id:
        raise MandateError(MandateRule.OWN_MANDATE)


def offer(session: Session, *, giver_id: int, actor_id: int, helper_bsn: str, helper_surname: str,
          terms: Terms, now: datetime, under_id: uuid.UUID | None = None) -> Mandate:
    """(a) The citizen (or their legal representative, ``actor_id`` acting under ``under_id``)
    offers a mandate. It gives nothing until the helper accepts. Raises ``MandateError`` with
    every problem.
    """
    giver = session.get(Account, giver_id)
    helper = find_person_account(session, helper_bsn, helper_surname,
                                 world=world_of(giver) if giver is not None else REGISTER)
    terms = _known_organisations(session, terms)
    problems: list[MandateRule] = []
    if helper is None:
        problems.append(MandateRule.PERSON_NOT_FOUND)
    elif helper.id in (giver_id, actor_id):
        problems.append(MandateRule.YOURSELF)
    problems += check_terms(terms, today_in_nl(now))
    if problems:
        raise MandateError(*problems)
    assert helper is not None
    mandate = _new_mandate(session, MandateKind.GRANTED, giver_id, helper.id, terms, actor_id, now)
    mandate.arranged_under_id = under_id
    return mandate


def new_activation_code() -> str:
    """A random one-time code (shown once, in the letter; only its hash is kept)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_hash(code: str) -> str:
    return hashlib.sha256(normal_code(code).encode()).hexdigest()


def normal_code(typed: str) -> str:
    """A typed code as stored: capitals, without spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def person_typed_well(bsn: str, surname: str) -> bool:
    """A BSN that passes the elfproef and a surname: what can be said about the typing
    without telling whether anyone has them."""
    return is_valid_bsn(bsn.strip()) and bool(surname.strip())


@dataclass(frozen=True)
class Asked:
    """What asking did. The helper is told the same whatever it did."""

    ask: MandateAsk
    # The request delivered now (send the letter); None: nobody was found, the helper had
    # already asked this person, or the person had MAX_REQUESTS_PER_CITIZEN_PER_DAY today.
    request: Mandate | None
    # The code for the letter; None when the pair has no tries left (approve online only).
    code: str | None


def ask(session: Session, *, helper_id: int, citizen_bsn: str, citizen_surname: str, terms: Terms,
        now: datetime) -> Asked:
    """(b) A helper asks a citizen for a mandate. Raises ``MandateError`` for what can be
    said without telling anything about the person: the typing, the terms, asking yourself,
    and asking more than ``MAX_ASKS_PER_DAY`` times today. Everything else is one answer:
    the ask is recorded as typed, and a request (with its one-time code, which goes only into
    the letter) is made only when the person has an account, was not asked by this helper
    already, and got fewer than ``MAX_REQUESTS_PER_CITIZEN_PER_DAY`` requests today.
    The caller commits (and rolls back on an error, so a refused ask is not counted)."""
    bsn, surname = citizen_bsn.strip(), " ".join(citizen_surname.split())
    terms = _known_organisations(session, terms)
    problems = [] if person_typed_well(bsn, surname) else [MandateRule.PERSON_NOT_FOUND]
    problems += check_terms(terms, today_in_nl(now))
    if problems:
        raise MandateError(*problems)
    assert terms.last is not None
    helper = session.get(Account, helper_id)
    if helper is not None and helper.person.bsn == bsn:
        raise MandateError(MandateRule.YOURSELF)
    citizen = find_person_account(session, bsn, surname, world=world_of(helper) if helper is not None else REGISTER)
    _lock_accounts(session, {helper_id} | ({citizen.id} if citizen is not None else set()))
    record = MandateAsk(
        helper_id=helper_id, asked_at=now, bsn_masked=mask_bsn(bsn), surname=surname,
        lapses_at=min(as_utc(now) + timedelta(days=PENDING_DAYS), end_after_day(terms.last)),
    )
    session.add(record)
    session.flush()
    # Counted after the insert, under the lock: two asks at once cannot both be the last.
    if asks_today(session, helper_id, now) > MAX_ASKS_PER_DAY:
        raise MandateError(MandateRule.ASKED_TOO_OFTEN)
    if (citizen is None or open_request(session, helper_id, citizen.id, now) is not None
            or requests_today(session, citizen.id, now) >= MAX_REQUESTS_PER_CITIZEN_PER_DAY):
        return Asked(record, None, None)
    mandate = _new_mandate(session, MandateKind.REQUESTED, citizen.id, helper_id, terms, helper_id, now)
    mandate.activation_attempts = tries_used(session, helper_id, citizen.id, now)
    code: str | None = None
    if mandate.activation_attempts < MAX_CODE_ATTEMPTS:
        code = new_activation_code()
        mandate.activation_code_hash = code_hash(code)
        mandate.activation_code_expires_at = now + timedelta(days=ACTIVATION_CODE_DAYS)
    record.mandate_id = mandate.id
    session.flush()
    return Asked(record, mandate, code)


def _lock_accounts(session: Session, account_ids: set[int]) -> None:
    """Row locks on these accounts until the commit, in id order (PostgreSQL; SQLite has one
    writer at a time anyway), so the counts of the day are read by one ask at a time."""
    session.execute(
        select(Account.id).where(Account.id.in_(sorted(account_ids))).order_by(Account.id).with_for_update()
    ).all()


def asks_today(session: Session, helper_id: int, now: datetime) -> int:
    """How often this helper asked on the Dutch calendar day of ``now``."""
    return session.scalar(select(func.count()).select_from(MandateAsk).where(
        MandateAsk.helper_id == helper_id, MandateAsk.asked_at >= start_of_day(today_in_nl(now)),
    )) or 0


def requests_today(session: Session, citizen_id: int, now: datetime) -> int:
    """How many requests this citizen got on the Dutch calendar day of ``now``."""
    return session.scalar(select(func.count()).select_from(Mandate).where(
        Mandate.kind == MandateKind.REQUESTED, Mandate.giver_id == citizen_id,
        Mandate.created_at >= start_of_day(today_in_nl(now)),
    )) or 0


def tries_used(session: Session, helper_id: int, citizen_id: int, now: datetime) -> int:
    """The wrong code tries this helper already used on this citizen: those of the pair's
    requests made in the last ``CODE_TRIES_DAYS`` days (each started with the tries of the
    one before, so the highest count holds them all)."""
    used = session.scalar(select(func.max(Mandate.activation_attempts)).where(
        Mandate.kind == MandateKind.REQUESTED, Mandate.helper_id == helper_id, Mandate.giver_id == citizen_id,
        Mandate.created_at >= as_utc(now) - timedelta(days=CODE_TRIES_DAYS),
    ))
    return min(used or 0, MAX_CODE_ATTEMPTS)


def open_asks(session: Session, helper_id: int, now: datetime) -> list[MandateAsk]:
    """The helper's asks still waiting, newest first: not withdrawn, not lapsed, and not
    approved (an approved one is a mandate the helper holds). A request the citizen declined
    still waits here until it lapses, like an ask that found nobody."""
    found = session.scalars(
        select(MandateAsk)
        .where(MandateAsk.helper_id == helper_id, MandateAsk.withdrawn_at.is_(None), MandateAsk.lapses_at > now)
        .order_by(MandateAsk.asked_at.desc(), MandateAsk.id)
    ).unique()
    return [a for a in found if a.mandate is None or a.mandate.accepted_at is None]


def find_open_ask(session: Session, helper_id: int, ask_id: uuid.UUID, now: datetime) -> MandateAsk | None:
    """This helper's ask if it still waits; else None (someone else's: None too)."""
    return next((a for a in open_asks(session, helper_id, now) if a.id == ask_id), None)


def withdraw_ask(session: Session, asked: MandateAsk, *, by_id: int, now: datetime) -> None:
    """The helper withdraws an ask; the request it delivered, if any, ends (``WITHDRAWN``)."""
    asked.withdrawn_at = now
    request = asked.mandate
    if request is not None and request.accepted_at is None:
        end(session, request, by_id=by_id, reason=EndReason.WITHDRAWN, now=now)


def purge_asks(session: Session, now: datetime) -> int:
    """Remove asks that lapsed or were withdrawn before today (today's still count towards
    the helper's limit). The caller commits."""
    today = start_of_day(today_in_nl(now))
    stale = session.scalars(select(MandateAsk).where(
        MandateAsk.asked_at < today, or_(MandateAsk.lapses_at <= now, MandateAsk.withdrawn_at.is_not(None)),
    )).unique().all()
    for asked in stale:
        session.delete(asked)
    return len(stale)


def lapses_at(mandate: Mandate) -> datetime:
    """When an offer or request without an answer stops by itself."""
    return as_utc(mandate.created_at) + timedelta(days=PENDING_DAYS)


def is_lapsed(mandate: Mandate, now: datetime) -> bool:
    """An offer or request that got no answer in time (or whose end passed meanwhile)."""
    if mandate.accepted_at is not None or mandate.ended_at is not None:
        return False
    return as_utc(now) >= lapses_at(mandate) or state_of(mandate, now) is MandateState.EXPIRED


def is_open(mandate: Mandate, now: datetime) -> bool:
    """An offer or request that can still be answered."""
    return state_of(mandate, now) is MandateState.PENDING and not is_lapsed(mandate, now)


def open_request(session: Session, helper_id: int, giver_id: int, now: datetime) -> Mandate | None:
    """The helper's request to this citizen that can still be answered, if any."""
    return next((m for m in _unanswered_requests(session, helper_id, giver_id) if is_open(m, now)), None)


def _unanswered_requests(session: Session, helper_id: int, giver_id: int) -> list[Mandate]:
    """The helper's requests to this citizen without an answer, newest first."""
    return list(session.scalars(
        select(Mandate)
        .where(
            Mandate.kind == MandateKind.REQUESTED,
            Mandate.helper_id == helper_id,
            Mandate.giver_id == giver_id,
            Mandate.accepted_at.is_(None),
            Mandate.ended_at.is_(None),
        )
        .order_by(Mandate.created_at.desc())
    ).unique())


def _answer_yes(mandate: Mandate, now: datetime) -> None:
    if mandate.accepted_at is not None or mandate.ended_at is not None:
        raise MandateError(MandateRule.NOT_PENDING)
    if is_lapsed(mandate, now):
        raise MandateError(MandateRule.LAPSED)
    mandate.accepted_at = now
    mandate.activation_code_hash = None
    mandate.activation_code_expires_at = None


def accept(mandate: Mandate, now: datetime) -> None:
    """The helper accepts an offer (a). Raises ``MandateError`` when it is not open."""
    if mandate.kind is not MandateKind.GRANTED:
        raise MandateError(MandateRule.NOT_PENDING)
    _answer_yes(mandate, now)


def approve(mandate: Mandate, now: datetime, *, by_id: int, under_id: uuid.UUID | None = None) -> None:
    """The citizen (or their representative ``by_id``, acting under ``under_id``) approves a
    request online (b); its code stops working. Never the helper who asked."""
    refuse_own(mandate, by_id)
    if mandate.kind is not MandateKind.REQUESTED:
        raise MandateError(MandateRule.NOT_PENDING)
    _answer_yes(mandate, now)
    if under_id is not None:
        mandate.arranged_under_id = under_id


def activate(session: Session, *, helper_id: int, citizen_bsn: str, code: str, now: datetime) -> Mandate:
    """(b) offline: the helper types the citizen's BSN and the code from the letter.

    Every try is counted before its code is compared, with one conditional UPDATE, so tries
    that come at once never compare more than ``MAX_CODE_ATTEMPTS`` codes; after that many
    wrong tries the code no longer works. The caller commits also when this raises, so the
    tries are kept. Every miss about the person is ``CODE_WRONG`` (and the page says the same
    for every refusal), so the page never tells whether a BSN exists or was asked.
    """
    typed = normal_code(code)
    if not typed:
        raise MandateError(MandateRule.CODE_MISSING)
    bsn = citizen_bsn.strip()
    helper = session.get(Account, helper_id)
    citizen = (
        account_with_bsn(session, bsn, world=world_of(helper))
        if helper is not None and is_valid_bsn(bsn) else None
    )
    unanswered = _unanswered_requests(session, helper_id, citizen.id) if citizen is not None else []
    mandate = unanswered[0] if unanswered else None
    if mandate is None:
        raise MandateError(MandateRule.CODE_WRONG)
    if mandate.activation_attempts >= MAX_CODE_ATTEMPTS:
        raise MandateError(MandateRule.CODE_USED_UP)
    expires = mandate.activation_code_expires_at
    if expires is None or as_utc(now) >= as_utc(expires) or is_lapsed(mandate, now):
        raise MandateError(MandateRule.CODE_EXPIRED)
    if mandate.activation_code_hash is None:
        raise MandateError(MandateRule.CODE_WRONG)
    if not _reserve_try(session, mandate):
        raise MandateError(MandateRule.CODE_USED_UP if mandate.activation_attempts >= MAX_CODE_ATTEMPTS
                           else MandateRule.CODE_WRONG)
    # From here on this request's row is ours until the commit (the UPDATE holds its lock).
    stored = mandate.activation_code_hash
    if stored is None or not hmac.compare_digest(code_hash(typed), stored):
        if mandate.activation_attempts >= MAX_CODE_ATTEMPTS:
            mandate.activation_code_hash = None
            raise MandateError(MandateRule.CODE_USED_UP)
        raise MandateError(MandateRule.CODE_WRONG)
    mandate.activation_attempts -= 1  # the right code was no wrong try
    _answer_yes(mandate, now)
    return mandate


def _reserve_try(session: Session, mandate: Mandate) -> bool:
    """Count one try on a request that still takes codes, in the database itself; False when
    none was left (another try, perhaps at the same moment, took the last one). The mandate
    is read again afterwards, so its count and code are those of the database."""
    reserved = session.execute(
        update(Mandate)
        .where(
            Mandate.id == mandate.id,
            Mandate.activation_attempts < MAX_CODE_ATTEMPTS,
            Mandate.activation_code_hash.is_not(None),
            Mandate.accepted_at.is_(None),
            Mandate.ended_at.is_(None),
        )
        .values(activation_attempts=Mandate.activation_attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(mandate)
    return reserved.rowcount == 1  # type: ignore[attr-defined]


def arranged_under(session: Session, representation: Mandate) -> list[Mandate]:
    """The mandates given, approved or changed under this representation that have not been
    ended yet (what ends with it)."""
    return list(session.scalars(
        select(Mandate).where(Mandate.arranged_under_id == representation.id, Mandate.ended_at.is_(None))
    ).unique())


def end_with_representation(session: Session, representation: Mandate, now: datetime) -> list[Mandate]:
    """Record the end of everything arranged under a representation that stopped; returns
    the mandates that ended now. The caller sends the letters and commits."""
    ended = []
    for mandate in arranged_under(session, representation):
        if end(session, mandate, by_id=None, reason=EndReason.REPRESENTATION_ENDED, now=now):
            ended.append(mandate)
    return ended


def end_by_giver(session: Session, mandate: Mandate, *, by_id: int, now: datetime) -> bool:
    """The citizen (or their representative) stops a mandate at once: revoked, or withdrawn
    or declined when it was never answered. A court appointment is not theirs to end."""
    if mandate.kind is MandateKind.LEGAL:
        raise MandateError(MandateRule.LEGAL_NOT_ENDABLE)
    if mandate.accepted_at is None:
        reason = EndReason.WITHDRAWN if mandate.kind is MandateKind.GRANTED else EndReason.DECLINED
    else:
        reason = EndReason.REVOKED
    return end(session, mandate, by_id=by_id, reason=reason, now=now)


def end_by_helper(session: Session, mandate: Mandate, *, by_id: int, now: datetime) -> bool:
    """The helper gives a mandate back, refuses an offer or withdraws their own request."""
    if mandate.kind is MandateKind.LEGAL:
        raise MandateError(MandateRule.LEGAL_NOT_ENDABLE)
    if mandate.accepted_at is None:
        reason = EndReason.WITHDRAWN if mandate.kind is MandateKind.REQUESTED else EndReason.DECLINED
    elif mandate.kind is MandateKind.ASSISTED:
        reason = EndReason.VISIT_ENDED
    else:
        reason = EndReason.RETURNED
    return end(session, mandate, by_id=by_id, reason=reason, now=now)


# ---------------------------------------------------------------------------------------
# Changing: the citizen (or their legal representative) changes what a mandate gives.
# ---------------------------------------------------------------------------------------

# The kinds the citizen arranged and may change. A court appointment is changed by an
# administrator; an assisted visit lasts one visit and is not changed.
CHANGEABLE_KINDS = frozenset({MandateKind.GRANTED, MandateKind.REQUESTED})


def is_changeable(mandate: Mandate, now: datetime) -> bool:
    """Whether the giver may change it now: given or asked for, and waiting for an answer,
    not started yet, or holding (not ended, expired or lapsed)."""
    return mandate.kind in CHANGEABLE_KINDS and stopped_at(mandate, now) is None


def start_is_fixed(mandate: Mandate, now: datetime) -> bool:
    """The first day can no longer change once it has come."""
    return as_utc(now) >= as_utc(mandate.starts_at)


def change(session: Session, mandate: Mandate, *, terms: Terms, now: datetime, by_id: int,
           under_id: uuid.UUID | None = None) -> bool:
    """Change the scopes, the organisations and the last day (and the first day while it
    has not come). It counts from the helper's very next request (``portal.acting`` reads
    the mandate on every request). False when nothing changed. Raises ``MandateError``
    with every problem; nothing is changed then. The caller commits.
    """
    if mandate.kind is MandateKind.LEGAL:
        raise MandateError(MandateRule.LEGAL_NOT_CHANGEABLE)
    refuse_own(mandate, by_id)
    if not is_changeable(mandate, now):
        raise MandateError(MandateRule.NOT_CHANGEABLE)
    terms = _known_organisations(session, terms)
    today = today_in_nl(now)
    if start_is_fixed(mandate, now):
        terms = replace(terms, first=first_day(mandate))
        problems = _check_what(terms) + _check_end(terms, today)
    else:
        problems = check_terms(terms, today)
    if problems:
        raise MandateError(*problems)
    assert terms.first is not None and terms.last is not None
    scopes = frozenset(terms.scopes)
    organisations = _letter_organisations(session, terms)
    starts_at = mandate.starts_at if start_is_fixed(mandate, now) else start_of_day(terms.first)
    ends_at = end_after_day(terms.last)
    before = (mandate.scopes, {o.id for o in mandate.letter_organisations}, as_utc(mandate.starts_at),
              as_utc(mandate.ends_at) if mandate.ends_at is not None else None)
    if before == (scopes, {o.id for o in organisations}, as_utc(starts_at), ends_at):
        return False
    if before[3] != ends_at:
        # The letter about the coming end is sent again, for the new last day.
        mandate.expiry_warned_at = None
    mandate.scopes = scopes
    mandate.letter_organisations = organisations
    mandate.starts_at = starts_at
    mandate.ends_at = ends_at
    if under_id is not None:
        mandate.arranged_under_id = under_id
    session.flush()
    return True


def stopped_at(mandate: Mandate, now: datetime) -> datetime | None:
    """When the mandate stopped giving (or would have: a lapsed offer); None while it may
    still give something."""
    if mandate.ended_at is not None:
        return as_utc(mandate.ended_at)
    if origin_stopped(mandate, now):
        origin = mandate.arranged_under
        return (stopped_at(origin, now) if origin is not None else None) or as_utc(now)
    if mandate.ends_at is not None and as_utc(now) >= as_utc(mandate.ends_at):
        return as_utc(mandate.ends_at) if mandate.accepted_at is not None else min(
            as_utc(mandate.ends_at), lapses_at(mandate)
        )
    if is_lapsed(mandate, now):
        return lapses_at(mandate)
    return None


def visible_since(now: datetime) -> datetime:
    """The cut-off: a mandate that stopped before this moment is no longer listed (and the
    daily job may remove it). ``RETENTION_MONTHS`` calendar months before ``now``."""
    return subtract_months(as_utc(now), RETENTION_MONTHS)


def is_listed(mandate: Mandate, now: datetime) -> bool:
    """Whether pages still show this mandate: it holds or waits, or stopped within 15 months."""
    stopped = stopped_at(mandate, now)
    return stopped is None or stopped >= visible_since(now)


def given_by(session: Session, giver_id: int, now: datetime) -> list[Mandate]:
    """Every mandate of this citizen that pages still show, newest first."""
    found = session.scalars(
        select(Mandate).where(Mandate.giver_id == giver_id).order_by(Mandate.created_at.desc())
    ).unique()
    return [m for m in found if is_listed(m, now)]


def shown_to_helper(mandate: Mandate) -> bool:
    """A request the citizen has not said yes to is never shown to the helper who asked:
    it would tell that the BSN and surname belong to someone (the helper sees his ask, as he
    typed it: ``open_asks``)."""
    return not (mandate.kind is MandateKind.REQUESTED and mandate.accepted_at is None)


def held_by(session: Session, helper_id: int, now: datetime) -> list[Mandate]:
    """Every mandate of this helper that pages still show, newest first."""
    found = session.scalars(
        select(Mandate).where(Mandate.helper_id == helper_id).order_by(Mandate.created_at.desc())
    ).unique()
    return [m for m in found if shown_to_helper(m) and is_listed(m, now)]


def find_given(session: Session, giver_id: int, mandate_id: uuid.UUID, now: datetime) -> Mandate | None:
    """This citizen's mandate if pages still show it; else None (someone else's: None too)."""
    mandate = session.get(Mandate, mandate_id)
    if mandate is None or mandate.giver_id != giver_id or not is_listed(mandate, now):
        return None
    return mandate


def find_held(session: Session, helper_id: int, mandate_id: uuid.UUID, now: datetime) -> Mandate | None:
    """This helper's mandate if pages still show it; else None (someone else's: None too)."""
    mandate = session.get(Mandate, mandate_id)
    if (mandate is None or mandate.helper_id != helper_id or not shown_to_helper(mandate)
            or not is_listed(mandate, now)):
        return None
    return mandate


@dataclass(frozen=True)
class GivenOverview:
    """The citizen's side of the mandates page."""

    helpers: list[Mandate]  # open offers, and mandates that hold now or will
    requests: list[Mandate]  # requests to answer
    stopped: list[Mandate]  # ended, expired or lapsed within RETENTION_MONTHS


@dataclass(frozen=True)
class HeldOverview:
    """The helper's side of the mandates page."""

    offers: list[Mandate]  # offers to accept or refuse
    asked: list[MandateAsk]  # my own asks, as I typed them, waiting
    current: list[Mandate]  # mandates that hold now or will
    stopped: list[Mandate]


def _holds_or_will(mandate: Mandate, now: datetime) -> bool:
    return state_of(mandate, now) in (MandateState.ACTIVE, MandateState.FUTURE)


def given_overview(session: Session, giver_id: int, now: datetime) -> GivenOverview:
    """What the citizen (or their representative) sees on the mandates page."""
    listed = given_by(session, giver_id, now)
    return GivenOverview(
        helpers=[m for m in listed if _holds_or_will(m, now)
                 or (m.kind is MandateKind.GRANTED and is_open(m, now))],
        requests=[m for m in listed if m.kind is MandateKind.REQUESTED and is_open(m, now)],
        stopped=[m for m in listed if stopped_at(m, now) is not None],
    )


def held_overview(session: Session, helper_id: int, now: datetime) -> HeldOverview:
    """What a helper sees about the mandates they hold, were offered or asked for."""
    listed = held_by(session, helper_id, now)
    return HeldOverview(
        offers=[m for m in listed if m.kind is MandateKind.GRANTED and is_open(m, now)],
        asked=open_asks(session, helper_id, now),
        current=[m for m in listed if _holds_or_will(m, now)],
        stopped=[m for m in listed if stopped_at(m, now) is not None],
    )
