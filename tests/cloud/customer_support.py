"""Helpers for the customer tests: a sale pushed by the till with a customer attached."""

from __future__ import annotations

from typing import Any

from uuid6 import uuid7

from .sync_support import envelope

CUSTOMER_PHONE = "+254722000111"


def till_customer(
    phone: str = CUSTOMER_PHONE,
    *,
    name: str = "Akinyi Otieno",
    consent: bool = True,
    receipt: bool = True,
    customer_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": customer_id or str(uuid7()),
        "phone": phone,
        "name": name,
        "whatsapp_consent": consent,
        "digital_receipt": receipt,
    }


def sale_with_customer(org, seq: int, customer: dict[str, Any], **kwargs) -> dict[str, Any]:
    payload = org.make_sale(**kwargs)
    payload["customer"] = customer
    return envelope("sale.completed", payload, seq)
