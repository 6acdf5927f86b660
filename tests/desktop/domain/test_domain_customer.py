"""The customer on a sale: phone numbers as Kenyans write them, the optional ``customer`` of
``sale.completed`` (valid against the contract), and a record that keeps it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.domain.cart import Cart, PaymentMethod
from asiria_desktop.domain.customer import InvalidPhone, SaleCustomer, normalise_phone, phone_text
from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.sale import CompletedSale, complete_sale

from .test_domain_contract_example import CASHIER

AKINYI = SaleCustomer(
    id="01936c1e-8a4b-7c2d-9e3f-5a6b7c8d9eaa",
    phone="+254722000111",
    name="Akinyi Otieno",
    whatsapp_consent=True,
    digital_receipt=True,
)


def _sale_validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        {"$ref": "#/$defs/SaleCompleted", "$defs": schema["$defs"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


@given(
    st.from_regex(r"[17][0-9]{8}", fullmatch=True),
    st.sampled_from(["0", "254", "+254", "+254 ", ""]),
    st.sampled_from(["", " ", "-"]),
)
def test_every_usual_way_of_writing_a_kenyan_mobile_is_one_number(digits, prefix, gap):
    written = f"{prefix}{digits[:3]}{gap}{digits[3:6]}{gap}{digits[6:]}"

    assert normalise_phone(written) == f"+254{digits}"


@pytest.mark.parametrize("text", ["", "12345", "0722", "+0722000111", "call me", "0822000111"])
def test_what_is_no_mobile_number_says_how_to_write_one(text):
    with pytest.raises(InvalidPhone) as error:
        normalise_phone(text)
    assert "0712 345 678" in error.value.message


def test_numbers_of_other_countries_keep_their_code():
    assert normalise_phone("+44 7700 900123") == "+447700900123"
    assert phone_text("+447700900123") == "+447700900123"
    assert phone_text("+254722000111") == "0722 000 111"


def test_a_whatsapp_receipt_needs_consent():
    with pytest.raises(DomainError):
        SaleCustomer("id", "+254722000111", "", whatsapp_consent=False, digital_receipt=True)


def paid_sale(cart: Cart, ids: Callable[[], str], now: datetime, customer=None) -> CompletedSale:
    cart.add_payment(PaymentMethod.CASH, 40000)
    return complete_sale(cart, ids(), "S01-T02-000020", CASHIER, None, now, customer=customer)


def test_a_sale_names_its_customer_as_the_contract_says(
    example_cart: Cart, ids, now, schema: dict[str, Any]
):
    payload = paid_sale(example_cart, ids, now, AKINYI).to_payload()

    _sale_validator(schema).validate(payload)
    assert payload["customer"] == {
        "id": AKINYI.id,
        "phone": "+254722000111",
        "name": "Akinyi Otieno",
        "whatsapp_consent": True,
        "digital_receipt": True,
    }


def test_a_sale_without_a_customer_sends_no_customer_key(example_cart: Cart, ids, now):
    assert "customer" not in paid_sale(example_cart, ids, now).to_payload()


def test_the_contract_refuses_a_customer_phone_not_in_e164(
    example_cart: Cart, ids, now, schema: dict[str, Any]
):
    payload = paid_sale(example_cart, ids, now, AKINYI).to_payload()
    payload["customer"]["phone"] = "0722 000 111"

    with pytest.raises(jsonschema.ValidationError):
        _sale_validator(schema).validate(payload)


def test_the_stored_sale_keeps_its_customer(example_cart: Cart, ids, now):
    sale = paid_sale(example_cart, ids, now, AKINYI)

    assert CompletedSale.from_record(sale.to_record()) == sale
