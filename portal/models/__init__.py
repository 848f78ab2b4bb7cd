"""Typed SQLAlchemy models. Import from here so Alembic sees every table."""

from portal.models.account import Account, LoginSession
from portal.models.letter import Attachment, AttachmentKind, Letter
from portal.models.organisation import Organisation, OrganisationKind
from portal.models.person import Person
from portal.models.practice_digid import PracticeAuthorizationCode, PracticeLogin
from portal.models.subscription import Subscription

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
