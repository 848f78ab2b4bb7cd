"""Who is acting, and whose box they see. Every data query takes its box from here.

Today a citizen acts only for themselves; helpers (machtigingen) will be decided here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, g

from portal.models import Account


@dataclass(frozen=True)
class Acting:
    actor: Account
    owner: Account

    @property
    def box_account_id(self) -> int:
        """The account whose letters, cases and settings this request may use."""
        return self.owner.id


def current() -> Acting:
    account = g.get("account")
    if account is None:
        abort(401)
    return Acting(actor=account, owner=account)
