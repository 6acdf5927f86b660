"""Codes typed in at the till (offline, or paid to the till number) are checked once the sale
reaches the cloud by sync: against the prompts and C2B payments the cloud holds, else with
Daraja's Transaction Status query. Anything but a clean match tells the managers and owner."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from cloud_api.notifications.models import Notification
from cloud_api.payments.models import MpesaC2BPayment, MpesaReceiptUse, Payment

from .conftest import jwt_client, terminal_client
from .mpesa_support import configure_store, post_as_daraja
from .sync_support import envelope, push, statuses

PAYMENTS = "/api/v1/payments/"


@pytest.fixture
def till(org_a, fake_daraja):
    configure_store(org_a.stores[0])
    return terminal_client(org_a)


def mpesa_sale(org, code: str, *, seq: int):
    sale = org.make_sale(items=[(org.products[0], 5, None)], pay=[("mpesa", 40000)])
    sale["payments"][0]["reference"] = code
    return envelope("sale.completed", sale, seq), sale


def push_sales(till, events, capture):
    with capture(execute=True):
        assert set(statuses(push(till, events))) == {"applied"}


def payment_for(sale) -> Payment:
    return Payment.objects.get(uuid=sale["payments"][0]["id"])


def paid_to_till(fake, *, amount=400) -> str:
    body = fake.c2b_payment(shortcode="174379", amount=amount, phone="254712345678")
    assert post_as_daraja("confirmation", body).status_code == 200
    return body["TransID"]


def answer_status_query(fake, capture) -> None:
    """Daraja POSTs the Transaction Status result to our result URL."""
    url, result = fake.state.status_results[-1]
    assert "/api/v1/payments/mpesa/status/result/" in url
    with capture(execute=True):
        assert post_as_daraja("status_result", result).json()["ResultCode"] == 0


def notes(org, kind):
    return list(Notification.objects.filter(organisation=org.organisation, kind=kind))


def test_a_code_paid_to_the_till_number_is_verified(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    code = paid_to_till(fake_daraja)
    event, sale = mpesa_sale(org_a, code.lower(), seq=1)  # typed in lower case: still found

    push_sales(till, [event], django_capture_on_commit_callbacks)

    payment = payment_for(sale)
    assert payment.verification == "verified"
    assert MpesaC2BPayment.objects.get(trans_id=code).payment == payment
    shown = jwt_client(org_a.users["manager"]).get(f"{PAYMENTS}{payment.uuid}/").json()
    assert (shown["verification"], shown["verification_note"]) == (
        "verified",
        f"M-Pesa confirms code {code}.",
    )
    assert not Notification.objects.filter(kind__startswith="mpesa_").exists()


def test_a_code_from_a_prompt_links_the_prompt_to_the_sale(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    started = till.post(
        "/api/v1/payments/mpesa/stk/",
        {"store_id": str(org_a.stores[0].uuid), "phone": "0712345678", "amount_cents": 40000},
        format="json",
    ).json()
    callback = fake_daraja.answer(started["checkout_request_id"])
    with django_capture_on_commit_callbacks(execute=True):
        post_as_daraja("stk", callback)
    receipt = till.get(f"/api/v1/payments/mpesa/stk/{started['id']}/").json()["mpesa_receipt"]
    event, sale = mpesa_sale(org_a, receipt, seq=1)

    push_sales(till, [event], django_capture_on_commit_callbacks)

    payment = payment_for(sale)
    assert payment.verification == "verified"
    assert payment.stk_attempt.uuid.hex == started["id"].replace("-", "")


def test_a_code_the_cloud_has_not_seen_is_checked_with_transaction_status(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    # Paid while the cloud was unreachable for C2B: only M-Pesa itself knows the code.
    code = fake_daraja.c2b_payment(shortcode="174379", amount=400, phone="254712345678")["TransID"]
    event, sale = mpesa_sale(org_a, code, seq=1)

    push_sales(till, [event], django_capture_on_commit_callbacks)
    assert payment_for(sale).verification == "pending"
    answer_status_query(fake_daraja, django_capture_on_commit_callbacks)

    assert payment_for(sale).verification == "verified"
    assert MpesaReceiptUse.objects.get(receipt=code).payment == payment_for(sale)


def test_an_unknown_code_is_unverified_and_the_managers_hear_of_it(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    event, sale = mpesa_sale(org_a, "QZZ0000000", seq=1)

    push_sales(till, [event], django_capture_on_commit_callbacks)
    answer_status_query(fake_daraja, django_capture_on_commit_callbacks)

    payment = payment_for(sale)
    assert payment.verification == "unverified"
    told = notes(org_a, "mpesa_unverified")
    # The store's managers, the owner and head office, who receive every notification.
    assert {note.user for note in told} == {
        org_a.users["owner"],
        org_a.users["manager"],
        org_a.users["head_office"],
    }
    assert "QZZ0000000" in told[0].message and sale["receipt_no"] in told[0].message


def test_a_code_used_by_another_sale_is_a_mismatch(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    code = paid_to_till(fake_daraja)
    first, first_sale = mpesa_sale(org_a, code, seq=1)
    second, second_sale = mpesa_sale(org_a, code, seq=2)

    push_sales(till, [first, second], django_capture_on_commit_callbacks)

    assert payment_for(first_sale).verification == "verified"
    reused = payment_for(second_sale)
    assert reused.verification == "mismatch"
    assert f"already used for receipt {first_sale['receipt_no']}" in reused.verification_note
    assert len(notes(org_a, "mpesa_mismatch")) == 3  # owner, manager and head office


def test_a_code_for_another_amount_is_a_mismatch(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    code = paid_to_till(fake_daraja, amount=40)
    event, sale = mpesa_sale(org_a, code, seq=1)

    push_sales(till, [event], django_capture_on_commit_callbacks)

    payment = payment_for(sale)
    assert payment.verification == "mismatch"
    assert "paid KES 40.00, but the sale took it for KES 400.00" in payment.verification_note
    assert not MpesaReceiptUse.objects.exists()  # a wrong amount does not use the code up


def test_the_database_refuses_a_code_for_a_second_payment(org_a, record_sale):
    first = record_sale(
        org_a, items=[(org_a.products[0], 1, None)], pay=[("mpesa", 8000)]
    ).payments.get()
    second = record_sale(
        org_a, items=[(org_a.products[0], 1, None)], pay=[("mpesa", 8000)]
    ).payments.get()
    MpesaReceiptUse.objects.create(receipt="QK7ABCDE12", payment=first)

    with pytest.raises(IntegrityError), transaction.atomic():
        MpesaReceiptUse.objects.create(receipt="QK7ABCDE12", payment=second)


def test_cash_payments_have_no_verification(org_a, till, django_capture_on_commit_callbacks):
    sale = org_a.make_sale()

    push_sales(till, [envelope("sale.completed", sale, 1)], django_capture_on_commit_callbacks)

    assert payment_for(sale).verification is None


def test_the_push_only_queues_the_check(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    code = paid_to_till(fake_daraja)
    event, sale = mpesa_sale(org_a, code, seq=1)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert statuses(push(till, [event])) == ["applied"]

    assert payment_for(sale).verification == "pending"
    assert len(queued) >= 1


def test_a_code_paid_to_another_store_s_till_is_a_mismatch(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    from cloud_api.payments.mpesa.config import mpesa_config_set

    mpesa_config_set(store=org_a.stores[1], kind="buy_goods", shortcode="600111", passkey="k")
    body = fake_daraja.c2b_payment(shortcode="600111", amount=400, phone="254712345678")
    post_as_daraja("confirmation", body)
    event, sale = mpesa_sale(org_a, body["TransID"], seq=1)

    push_sales(till, [event], django_capture_on_commit_callbacks)

    payment = payment_for(sale)
    assert payment.verification == "mismatch"
    assert "another store's number (600111)" in payment.verification_note


def test_a_code_m_pesa_says_went_to_another_business_is_a_mismatch(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    code = fake_daraja.c2b_payment(shortcode="999999", amount=400, phone="254712345678")["TransID"]
    event, sale = mpesa_sale(org_a, code, seq=1)

    push_sales(till, [event], django_capture_on_commit_callbacks)
    answer_status_query(fake_daraja, django_capture_on_commit_callbacks)

    payment = payment_for(sale)
    assert payment.verification == "mismatch"
    assert "paid to another business (999999 - FAKE SHOP)" in payment.verification_note


def test_a_status_result_delivered_twice_is_applied_once(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    event, sale = mpesa_sale(org_a, "QZZ0000001", seq=1)
    push_sales(till, [event], django_capture_on_commit_callbacks)

    answer_status_query(fake_daraja, django_capture_on_commit_callbacks)
    answer_status_query(fake_daraja, django_capture_on_commit_callbacks)

    assert payment_for(sale).verification == "unverified"
    assert len(notes(org_a, "mpesa_unverified")) == 3  # owner, manager, head office: once each
