"""Customers' phone numbers as WhatsApp names them: E.164 (``+254712345678``)."""

from __future__ import annotations

import re

from cloud_api.payments.mpesa.amounts import normalise_phone

_SEPARATORS = re.compile(r"[\s\-().]")
E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
PHONE_HELP = "Give a mobile number like 0712 345 678, or with its country code: +254 712 345 678."


def customer_phone(raw: str) -> str:
    """A Kenyan number written any usual way (07.., 01.., 254.., +254..) or any other country's
    number with its ``+`` code -> E.164. Raises ``ValueError`` with a message for people."""
    try:
        return "+" + normalise_phone(raw)
    except ValueError:
        pass
    text = _SEPARATORS.sub("", raw or "")
    if E164.match(text):
        return text
    raise ValueError(PHONE_HELP)
