"""The customer a cashier attaches to a sale, for a WhatsApp receipt and the shop's offers.

A phone number is the customer's key (WhatsApp addresses people by it), kept in E.164
(``+254712345678``). Kenyans write their numbers many ways (``0712 345 678``, ``254712345678``,
``+254 712 345 678``); every one of them names the same customer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import DomainError
from .json_types import JsonObject

_SEPARATORS = re.compile(r"[\s\-().]")
_KENYAN = re.compile(r"^(?:\+?254|0)?([17]\d{8})$")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
NAME_LIMIT = 120
PHONE_HELP = "Type a mobile number like 0712 345 678, or with its country code: +44 7700 900123."


class InvalidPhone(DomainError, ValueError):
    """Not a phone number WhatsApp can reach; the message says how to write one."""


def normalise_phone(raw: str) -> str:
    """Any usual way of writing a Kenyan mobile number, or any number with its ``+`` country
    code, as E.164. Raises ``InvalidPhone``."""
    text = _SEPARATORS.sub("", raw or "")
    kenyan = _KENYAN.match(text)
    if kenyan:
        return "+254" + kenyan.group(1)
    if _E164.match(text):
        return text
    raise InvalidPhone(PHONE_HELP)


def phone_text(phone: str) -> str:
    """How a cashier reads a Kenyan number (0712 345 678); others as stored."""
    if phone.startswith("+254") and len(phone) == 13:
        local = "0" + phone[4:]
        return f"{local[:4]} {local[4:7]} {local[7:]}"
    return phone


@dataclass(frozen=True, slots=True)
class SaleCustomer:
    """Who the sale was for, as the ``customer`` of the ``sale.completed`` payload."""

    id: str
    phone: str
    name: str
    whatsapp_consent: bool
    digital_receipt: bool

    def __post_init__(self) -> None:
        if not _E164.match(self.phone):
            raise InvalidPhone(PHONE_HELP)
        if self.digital_receipt and not self.whatsapp_consent:
            raise DomainError("A WhatsApp receipt needs the customer's agreement to WhatsApp.")

    def to_payload(self) -> JsonObject:
        payload: JsonObject = {
            "id": self.id,
            "phone": self.phone,
            "whatsapp_consent": self.whatsapp_consent,
            "digital_receipt": self.digital_receipt,
        }
        if self.name:
            payload["name"] = self.name[:NAME_LIMIT]
        return payload

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> SaleCustomer:
        return cls(
            id=str(data["id"]),
            phone=str(data["phone"]),
            name=str(data.get("name") or ""),
            whatsapp_consent=bool(data.get("whatsapp_consent")),
            digital_receipt=bool(data.get("digital_receipt")),
        )

    @property
    def label(self) -> str:
        """One line for the cashier: "Akinyi Otieno, 0722 000 111"."""
        number = phone_text(self.phone)
        return f"{self.name}, {number}" if self.name else number
