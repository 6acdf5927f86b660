"""Attaching a customer to the sale on a real till database: found again by phone offline,
added with consent, carried in the ``sale.completed`` event, and gone from the next sale."""

from __future__ import annotations

from typing import Any

import pytest

from asiria_desktop.domain.customer import InvalidPhone
from asiria_desktop.domain.errors import DomainError

from .support import COKE, outbox, ring_up_and_pay_cash


def sell_one(till: Any) -> Any:
    return ring_up_and_pay_cash(till, COKE)


def sale_events(till: Any) -> list[dict[str, Any]]:
    return [event["payload"] for event in outbox(till) if event["type"] == "sale.completed"]


def test_a_new_customer_goes_with_the_sale_and_is_found_again_by_phone(till: Any) -> None:
    customers = till.services.customers
    assert customers.find("0722 000 111").known is False

    attached = customers.attach(
        "0722000111", "  Akinyi   Otieno ", whatsapp_consent=True, digital_receipt=True
    )
    sell_one(till)

    [event] = sale_events(till)
    assert event["customer"] == {
        "id": attached.id,
        "phone": "+254722000111",
        "name": "Akinyi Otieno",
        "whatsapp_consent": True,
        "digital_receipt": True,
    }
    again = customers.find("+254 722 000 111")
    assert again.known and again.name == "Akinyi Otieno" and again.whatsapp_consent
    assert again.phone_text == "0722 000 111"
    assert customers.attached is None  # the next sale starts with nobody


def test_a_returning_customer_keeps_their_id(till: Any) -> None:
    customers = till.services.customers
    first = customers.attach("0722000111", "Akinyi", whatsapp_consent=False, digital_receipt=False)
    sell_one(till)

    second = customers.attach("254722000111", "", whatsapp_consent=True, digital_receipt=False)
    sell_one(till)

    events = sale_events(till)
    assert first.id == second.id == events[1]["customer"]["id"]
    assert events[1]["customer"]["name"] == "Akinyi"


def test_a_bad_number_and_a_receipt_without_consent_are_refused_plainly(till: Any) -> None:
    customers = till.services.customers
    with pytest.raises(InvalidPhone):
        customers.attach("12345", "X", whatsapp_consent=True, digital_receipt=False)
    with pytest.raises(DomainError, match="agrees to WhatsApp"):
        customers.attach("0722000111", "X", whatsapp_consent=False, digital_receipt=True)
    assert customers.attached is None


def test_a_cancelled_sale_drops_its_customer(till: Any) -> None:
    customers = till.services.customers
    assert till.services.sale.scan(COKE).added
    customers.attach("0722000111", "Akinyi", whatsapp_consent=True, digital_receipt=False)

    till.services.sale.cancel()

    assert customers.attached is None
