"""The burgerservicenummer (BSN) and its eleven test ("elfproef")."""

from __future__ import annotations

BSN_LENGTH = 9
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_valid_bsn(value: str) -> bool:
    """True when ``value`` is nine digits whose weighted sum is divisible by 11.

    The weights are 9, 8, …, 2 and −1 for the last digit. All zeros is not a BSN.
    """
    if len(value) != BSN_LENGTH or not value.isascii() or not value.isdigit():
        return False
    total = sum(weight * int(digit) for weight, digit in zip(_WEIGHTS, value, strict=True))
    return total % 11 == 0 and total != 0


def mask_bsn(value: str) -> str:
    """A BSN shown with only its last three digits, for places where a hint is enough."""
    return "******" + value[-3:] if len(value) == BSN_LENGTH else "*********"
