"""Typed SQLAlchemy models. Import from here so Alembic sees every table."""

from portal.models.account import Account, LoginSession
from portal.models.letter import Attachment, AttachmentKind, Letter
from portal.models.organisation import Organisation, OrganisationKind
from portal.models.person import Person
from portal.models.practice_digid import PracticeAuthorizationCode, PracticeLogin
from portal.models.subscription import Subscription

# Areas added by issue 3 register their models below (one import line each).
# -- cases --
from portal.models.case import Case, CaseLetter, CaseStatus, CaseStatusChange, CaseStep  # noqa: E402
# -- notifications --
from portal.models.notification import EmailConfirmation, Notification, NotificationKind, NotificationSettings, NotificationStatus  # noqa: E501,F401
# -- api --
from portal.models.api import (  # noqa: E402
    ApiClient,
    ApiToken,
    Delivery,
    LetterEvent,
    LetterEventKind,
    SubscriptionCheck,
)
# -- mandates --
from portal.models.mandate import (  # noqa: E402
    AuditAction,
    AuditEntry,
    EndReason,
    HelpDeskStaff,
    LegalRole,
    Mandate,
    MandateAsk,
    MandateKind,
    Scope,
    mandate_letter_organisation,
)
# -- practice --
from portal.models.practice import PracticeClass, PracticeSandbox, PracticeStep  # noqa: E402,F401

__all__ = [
    "Account",
    "Attachment",
    "AttachmentKind",
    "Letter",
    "LoginSession",
    "Organisation",
    "OrganisationKind",
    "Person",
    "PracticeAuthorizationCode",
    "PracticeLogin",
    "Subscription",
]
