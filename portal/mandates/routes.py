"""The mandate pages: the citizen's side (give, approve, end) and the helper's side."""

from portal.mandates import citizen_side, helper_side  # noqa: F401
