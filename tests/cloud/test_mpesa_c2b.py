"""Payments customers make to the pay bill or till number themselves (C2B): Daraja's
confirmations, kept once per TransID, and the cashier's claim by phone and amount."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cloud_api.payments.models import MpesaC2BPayment

from .conftest import terminal_client
from .mpesa_support import CALLBACK_SECRET, configure_store, post_as_daraja

CLAIM = "/api/v1/payments/mpesa/c2b/claim/"
ACCEPTED = {"ResultCode": 0, "ResultDesc": "Accepted"}


@pytest.fixture
def store(org_a, fake_daraja):
    configure_store(org_a.stores[0])
    return org_a.stores[0]


def confirm(fake, *, amount=450, phone="254712345678"):
    body = fake.c2b_payment(shortcode="174379", amount=amount, phone=phone)
    response = post_as_daraja("confirmation", body)
    assert (response.status_code, response.json()) == (200, ACCEPTED)
    return body


def test_a_confirmation_is_stored_once_however_often_it_arrives(store, fake_daraja):
    body = confirm(fake_daraja)

    again = post_as_daraja("confirmation", body)
    changed = post_as_daraja("confirmation", {**body, "TransAmount": "9999.00"})

    assert again.json() == ACCEPTED and changed.json() == ACCEPTED
    stored = MpesaC2BPayment.objects.get()
    assert (stored.trans_id, stored.amount_cents, stored.store) == (body["TransID"], 45000, store)
    assert stored.msisdn == "25471****678"


def test_validation_accepts_every_payment(store, fake_daraja):
    body = fake_daraja.c2b_payment(shortcode="174379", amount=100, phone="254712345678")

    response = post_as_daraja("validation", body)

    assert response.json() == {"ResultCode": "0", "ResultDesc": "Accepted"}
    assert not MpesaC2BPayment.objects.exists()  # only a confirmation means money moved


@pytest.mark.parametrize(
    "body",
    [
        {"TransID": "QK1", "TransAmount": "abc", "BusinessShortCode": "174379"},
        {"TransAmount": "100", "BusinessShortCode": "174379"},
        {"TransID": "QK2", "TransAmount": "-5", "BusinessShortCode": "174379"},
        ["TransID"],
    ],
)
def test_a_malformed_confirmation_is_acknowledged_and_not_stored(store, fake_daraja, body):
    response = post_as_daraja("confirmation", body)

    assert response.json() == ACCEPTED
    assert not MpesaC2BPayment.objects.exists()


def test_a_forged_confirmation_is_not_found(store, fake_daraja):
    body = fake_daraja.c2b_payment(shortcode="174379", amount=100, phone="254712345678")

    response = post_as_daraja("confirmation", body, secret=CALLBACK_SECRET[:-1])

    assert response.status_code == 404
    assert not MpesaC2BPayment.objects.exists()


def test_a_cashier_claims_a_till_payment_by_phone_and_amount(org_a, store, fake_daraja):
    confirm(fake_daraja, amount=450, phone="254799000111")  # someone else
    body = confirm(fake_daraja, amount=450)
    till = terminal_client(org_a)
    ask = {"store_id": str(store.uuid), "phone": "0712 345 678", "amount_cents": 45000}

    first = till.post(CLAIM, ask, format="json")
    second = till.post(CLAIM, ask, format="json")

    assert first.status_code == 200, first.content
    assert first.json()["mpesa_receipt"] == body["TransID"]
    assert first.json()["amount_cents"] == 45000 and first.json()["claimed_at"]
    assert second.status_code == 404
    assert "No unclaimed M-Pesa payment of KES 450.00" in second.json()["error"]["message"]


def test_a_claim_for_another_amount_or_an_old_payment_finds_nothing(org_a, store, fake_daraja):
    confirm(fake_daraja, amount=450)
    old = confirm(fake_daraja, amount=300)
    MpesaC2BPayment.objects.filter(trans_id=old["TransID"]).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    till = terminal_client(org_a)

    wrong_amount = till.post(
        CLAIM,
        {"store_id": str(store.uuid), "phone": "0712345678", "amount_cents": 45100},
        format="json",
    )
    too_old = till.post(
        CLAIM,
        {"store_id": str(store.uuid), "phone": "0712345678", "amount_cents": 30000},
        format="json",
    )

    assert (wrong_amount.status_code, too_old.status_code) == (404, 404)


def test_a_hashed_msisdn_is_matched_too(org_a, store, fake_daraja):
    import hashlib

    body = fake_daraja.c2b_payment(shortcode="174379", amount=200, phone="254712345678")
    body["MSISDN"] = hashlib.sha256(b"254712345678").hexdigest()
    post_as_daraja("confirmation", body)

    response = terminal_client(org_a).post(
        CLAIM,
        {"store_id": str(store.uuid), "phone": "+254 712 345 678", "amount_cents": 20000},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["mpesa_receipt"] == body["TransID"]


def test_registering_the_urls_gives_daraja_our_secret_paths(store, fake_daraja):
    call_command("mpesa_register_c2b")

    registered = fake_daraja.state.registered["174379"]
    assert registered == {
        "confirmation": f"https://shop.example/api/v1/payments/mpesa/c2b/confirmation/{CALLBACK_SECRET}/",
        "validation": f"https://shop.example/api/v1/payments/mpesa/c2b/validation/{CALLBACK_SECRET}/",
    }
