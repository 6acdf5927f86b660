"""Phone numbers and amounts as M-Pesa takes them."""

from __future__ import annotations

import hashlib
import re

_SEPARATORS = re.compile(r"[\s\-().]")
# Safaricom numbers: 07XX and 01XX (the 2541 range), nine digits after the country code.
_LOCAL = re.compile(r"^0([17]\d{8})$")
_INTERNATIONAL = re.compile(r"^(?:\+?254)([17]\d{8})$")
_BARE = re.compile(r"^([17]\d{8})$")

PHONE_HELP = "Enter a Kenyan mobile number like 0712 345 678 or +254 712 345 678."


def normalise_phone(raw: str) -> str:
    """07XX / 01XX / +2547XX / 2547XX / 7XX -> 2547XXXXXXXX (what Daraja expects)."""
    text = _SEPARATORS.sub("", raw or "")
    for pattern in (_LOCAL, _INTERNATIONAL, _BARE):
        match = pattern.match(text)
        if match:
            return "254" + match.group(1)
    raise ValueError(PHONE_HELP)


def phone_matches(stored: str, phone: str) -> bool:
    """Does a C2B MSISDN (plain, masked like ``2547****149``, or a SHA-256 hash, all of which
    Daraja has sent) belong to this normalised phone number?"""
    stored = stored.strip()
    if re.fullmatch(r"[0-9a-fA-F]{64}", stored):
        return hashlib.sha256(phone.encode()).hexdigest() == stored.lower()
    if "*" not in stored:
        try:
            return normalise_phone(stored) == phone
        except ValueError:
            return False
    head, _, tail = stored.partition("*")
    tail = tail.lstrip("*")
    return (
        len(stored) == len(phone) and phone.startswith(head) and phone.endswith(tail) and bool(head)
    )


def whole_shillings(amount_cents: int) -> int:
    if amount_cents <= 0:
        raise ValueError("The amount must be more than zero.")
    if amount_cents % 100:
        raise ValueError("M-Pesa takes whole shillings only; round the amount to a shilling.")
    return amount_cents // 100


def split_plan(amount_cents: int, limit_cents: int) -> list[int]:
    """The fewest M-Pesa prompts (whole shillings, each within the per-transaction limit, as
    even as possible) that add up to ``amount_cents``."""
    shillings, limit = whole_shillings(amount_cents), limit_cents // 100
    if limit < 1:
        raise ValueError("The per-transaction limit must be at least one shilling.")
    parts = -(-shillings // limit)
    base, extra = divmod(shillings, parts)
    return [(base + (1 if index < extra else 0)) * 100 for index in range(parts)]
