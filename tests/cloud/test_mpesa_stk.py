"""M-Pesa prompts (STK push) through the API, the production Daraja client and the fake
Daraja server: every ending a customer can give a prompt, and every way a callback can go
wrong."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cloud_api.payments.models import MpesaStkAttempt, MpesaStkCallback

from .conftest import terminal_client
from .mpesa_support import configure_store, post_as_daraja

PHONE = "254708374149"
STK = "/api/v1/payments/mpesa/stk/"
PUSH_PATH = "/mpesa/stkpush/v1/processrequest"
QUERY_PATH = "/mpesa/stkpushquery/v1/query"


@pytest.fixture
def till(org_a, fake_daraja):
    configure_store(org_a.stores[0])
    return terminal_client(org_a)


def start(client, org, *, phone="0708 374 149", amount_cents=125000, reference="S01-T01-000042"):
    return client.post(
        STK,
        {
            "store_id": str(org.stores[0].uuid),
            "phone": phone,
            "amount_cents": amount_cents,
            "reference": reference,
        },
        format="json",
    )


def attempt_of(response) -> MpesaStkAttempt:
    assert response.status_code == 202, response.content
    return MpesaStkAttempt.objects.get(uuid=response.json()["id"])


def deliver(callback, capture) -> None:
    """Daraja posts the callback; the STK query it triggers runs once the request commits."""
    with capture(execute=True):
        response = post_as_daraja("stk", callback)
    assert response.status_code == 200
    assert response.json() == {"ResultCode": 0, "ResultDesc": "Accepted"}


def test_a_paid_prompt_succeeds_once_the_query_confirms_it(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    response = start(till, org_a)
    attempt = attempt_of(response)

    assert response.json() == {
        "id": str(attempt.uuid),
        "status": "pending",
        "checkout_request_id": attempt.checkout_request_id,
    }
    sent = fake_daraja.state.pushes[attempt.checkout_request_id].body
    assert sent["TransactionType"] == "CustomerPayBillOnline"
    assert (sent["Amount"], sent["PhoneNumber"], sent["PartyA"]) == (1250, PHONE, PHONE)
    assert sent["CallBackURL"].startswith("https://shop.example/api/v1/payments/mpesa/callback/")

    callback = fake_daraja.answer(attempt.checkout_request_id)
    deliver(callback, django_capture_on_commit_callbacks)
    shown = till.get(f"{STK}{attempt.uuid}/").json()

    receipt = callback["Body"]["stkCallback"]["CallbackMetadata"]["Item"][1]["Value"]
    assert shown == {
        "id": str(attempt.uuid),
        "status": "succeeded",
        "result_code": 0,
        "result_desc": "The service request is processed successfully.",
        "mpesa_receipt": receipt,
        "amount_cents": 125000,
        "phone": PHONE,
    }
    attempt.refresh_from_db()
    assert [(h.from_status, h.to_status) for h in attempt.history.all()] == [
        ("", "pending"),
        ("pending", "pending"),  # the callback: a hint, noted
        ("pending", "succeeded"),
    ]
    assert fake_daraja.hits(QUERY_PATH) == 1


def test_buy_goods_stores_prompt_with_their_till_number(org_a, fake_daraja):
    configure_store(org_a.stores[0], kind="buy_goods", till_number="5678901")

    attempt = attempt_of(start(terminal_client(org_a), org_a))

    sent = fake_daraja.state.pushes[attempt.checkout_request_id].body
    assert sent["TransactionType"] == "CustomerBuyGoodsOnline"
    assert (sent["BusinessShortCode"], sent["PartyB"]) == ("174379", "5678901")


@pytest.mark.parametrize(
    ("outcome", "status", "code", "words"),
    [
        ("cancelled", "cancelled", 1032, "cancelled by user"),
        ("insufficient", "failed", 1, "balance is insufficient"),
        ("wrong_pin", "failed", 2001, "initiator information is invalid"),
        ("unreachable", "timeout", 1037, "cannot be reached"),
    ],
)
def test_a_prompt_that_is_not_paid_ends_with_daraja_s_reason(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks, outcome, status, code, words
):
    fake_daraja.script(PHONE, outcome)
    attempt = attempt_of(start(till, org_a))

    deliver(fake_daraja.answer(attempt.checkout_request_id), django_capture_on_commit_callbacks)
    shown = till.get(f"{STK}{attempt.uuid}/").json()

    assert (shown["status"], shown["result_code"], shown["mpesa_receipt"]) == (status, code, None)
    assert words in shown["result_desc"]


def test_a_late_callback_after_the_timeout_changes_nothing(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    attempt = attempt_of(start(till, org_a))
    MpesaStkAttempt.objects.filter(pk=attempt.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )

    call_command("mpesa_poll_stk")  # Daraja: "still being processed"; overdue -> timeout
    timed_out = till.get(f"{STK}{attempt.uuid}/").json()
    deliver(fake_daraja.answer(attempt.checkout_request_id), django_capture_on_commit_callbacks)
    after = till.get(f"{STK}{attempt.uuid}/").json()

    assert timed_out["status"] == "timeout"
    assert after == timed_out
    assert MpesaStkCallback.objects.filter(checkout_request_id=attempt.checkout_request_id).count()


def test_a_callback_that_never_comes_is_replaced_by_the_query(org_a, till, fake_daraja):
    attempt = attempt_of(start(till, org_a))
    fake_daraja.answer(attempt.checkout_request_id)  # paid, but the callback is lost
    MpesaStkAttempt.objects.filter(pk=attempt.pk).update(
        created_at=timezone.now() - timedelta(seconds=45)
    )

    call_command("mpesa_poll_stk")

    attempt.refresh_from_db()
    assert (attempt.status, attempt.result_code) == ("succeeded", 0)
    assert attempt.history.last().note == "confirmed by STK query"


def test_cron_runs_the_beat_job_that_settles_late_prompts(org_a, till, fake_daraja, capsys):
    attempt = attempt_of(start(till, org_a))
    fake_daraja.answer(attempt.checkout_request_id)  # paid, but the callback is lost
    MpesaStkAttempt.objects.filter(pk=attempt.pk).update(
        created_at=timezone.now() - timedelta(seconds=45)
    )

    call_command("run_scheduled", "mpesa-late-stk")

    attempt.refresh_from_db()
    assert attempt.status == "succeeded"
    assert "'settled': 1" in capsys.readouterr().out


def test_cron_names_the_jobs_there_are_when_given_a_wrong_one(db):
    with pytest.raises(CommandError, match="mpesa-late-stk"):
        call_command("run_scheduled", "mpesa-late")


def test_a_pending_prompt_is_not_settled_before_the_customer_answers(org_a, till, fake_daraja):
    attempt = attempt_of(start(till, org_a))
    MpesaStkAttempt.objects.filter(pk=attempt.pk).update(
        created_at=timezone.now() - timedelta(seconds=45)
    )

    call_command("mpesa_poll_stk")

    attempt.refresh_from_db()
    assert attempt.status == "pending" and attempt.last_queried_at is not None


def test_duplicate_callbacks_settle_the_attempt_once(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    attempt = attempt_of(start(till, org_a))
    callback = fake_daraja.answer(attempt.checkout_request_id)

    deliver(callback, django_capture_on_commit_callbacks)
    deliver(callback, django_capture_on_commit_callbacks)

    attempt.refresh_from_db()
    assert attempt.status == "succeeded"
    assert attempt.history.filter(to_status="succeeded").count() == 1
    assert fake_daraja.hits(QUERY_PATH) == 1  # the duplicate did not even ask again


def test_an_out_of_order_failure_after_success_changes_nothing(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    attempt = attempt_of(start(till, org_a))
    callback = fake_daraja.answer(attempt.checkout_request_id)
    deliver(callback, django_capture_on_commit_callbacks)
    stale = {
        "Body": {
            "stkCallback": {
                "MerchantRequestID": attempt.merchant_request_id,
                "CheckoutRequestID": attempt.checkout_request_id,
                "ResultCode": 1032,
                "ResultDesc": "Request cancelled by user",
            }
        }
    }

    deliver(stale, django_capture_on_commit_callbacks)

    attempt.refresh_from_db()
    assert (attempt.status, attempt.result_code) == ("succeeded", 0)
    assert attempt.mpesa_receipt


def test_a_success_callback_the_query_contradicts_is_not_trusted(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks
):
    fake_daraja.script(PHONE, "cancelled")
    attempt = attempt_of(start(till, org_a))
    fake_daraja.answer(attempt.checkout_request_id)
    claimed = {
        "Body": {
            "stkCallback": {
                "MerchantRequestID": attempt.merchant_request_id,
                "CheckoutRequestID": attempt.checkout_request_id,
                "ResultCode": 0,
                "ResultDesc": "The service request is processed successfully.",
                "CallbackMetadata": {
                    "Item": [
                        {"Name": "Amount", "Value": 1250.0},
                        {"Name": "MpesaReceiptNumber", "Value": "FAKE123456"},
                        {"Name": "TransactionDate", "Value": 20261205120000},
                        {"Name": "PhoneNumber", "Value": 254708374149},
                    ]
                },
            }
        }
    }

    deliver(claimed, django_capture_on_commit_callbacks)

    attempt.refresh_from_db()
    assert (attempt.status, attempt.mpesa_receipt) == ("cancelled", None)


@pytest.mark.parametrize(
    "body",
    [
        {"Body": {}},
        {"Body": {"stkCallback": {"CheckoutRequestID": "ws_CO_1", "ResultCode": "zero"}}},
        ["not", "an", "object"],
        "plain text",
    ],
)
def test_malformed_callbacks_are_acknowledged_and_change_nothing(
    org_a, till, fake_daraja, django_capture_on_commit_callbacks, body
):
    attempt = attempt_of(start(till, org_a))

    deliver(body, django_capture_on_commit_callbacks)

    attempt.refresh_from_db()
    assert attempt.status == "pending"
    assert not MpesaStkCallback.objects.exists()
    assert fake_daraja.hits(QUERY_PATH) == 0


def test_a_forged_callback_is_not_found_and_changes_nothing(org_a, till, fake_daraja):
    attempt = attempt_of(start(till, org_a))
    callback = fake_daraja.answer(attempt.checkout_request_id)

    response = post_as_daraja("stk", callback, secret="guessed-secret")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    attempt.refresh_from_db()
    assert attempt.status == "pending" and attempt.mpesa_receipt is None
    assert not MpesaStkCallback.objects.exists()


def test_spike_arrest_refusals_are_retried_with_backoff(org_a, till, fake_daraja):
    till.get("/api/v1/organisation/")  # nothing to do with Daraja: the token is not yet asked
    fake_daraja.throttle_next(2)

    attempt = attempt_of(start(till, org_a))

    assert attempt.checkout_request_id in fake_daraja.state.pushes
    assert fake_daraja.hits("/oauth/v1/generate") + fake_daraja.hits(PUSH_PATH) == 4


def test_spike_arrest_that_does_not_ease_is_a_clear_503(org_a, till, fake_daraja):
    fake_daraja.throttle_next(50)

    response = start(till, org_a)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "mpesa_unavailable"
    assert "busy" in response.json()["error"]["message"]
    assert MpesaStkAttempt.objects.get().status == "failed"


def test_the_token_is_cached_and_renewed_when_daraja_expires_it(org_a, till, fake_daraja):
    attempt_of(start(till, org_a))
    attempt_of(start(till, org_a))
    assert fake_daraja.hits("/oauth/v1/generate") == 1

    fake_daraja.expire_tokens()
    attempt_of(start(till, org_a))

    assert fake_daraja.hits("/oauth/v1/generate") == 2
    assert fake_daraja.hits(PUSH_PATH) == 4  # the refused one and its resend


def test_the_token_is_renewed_a_minute_before_it_expires(org_a, fake_daraja, settings):
    from django.core.cache import cache

    from cloud_api.integrations.daraja import client_from_settings

    fake_daraja.token_lifetime = 3599
    client = client_from_settings()
    client.access_token()

    assert 3530 <= cache.ttl(client._token_key) <= 3539


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "0808 123 456"}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"amount_cents": 125050}, "amount_cents"),
        ({"amount_cents": 0}, "amount_cents"),
        ({"amount_cents": "lots"}, "amount_cents"),
    ],
)
def test_bad_input_is_a_clear_400(org_a, till, fake_daraja, body, field):
    payload = {"store_id": str(org_a.stores[0].uuid), "phone": "0712345678", "amount_cents": 100}

    response = till.post(STK, {**payload, **body}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert fake_daraja.hits(PUSH_PATH) == 0


def test_an_amount_above_the_limit_is_refused_with_the_split_to_send(org_a, till, fake_daraja):
    response = start(till, org_a, amount_cents=30_000_000)

    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "KES 250,000 per prompt" in message and "KES 150,000, KES 150,000" in message


def test_a_store_without_m_pesa_set_up_is_told_so(org_a, fake_daraja):
    response = start(terminal_client(org_a), org_a)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "mpesa_not_configured"


def test_daraja_refusing_the_request_is_a_400_with_its_words(org_a, fake_daraja):
    from cloud_api.payments.mpesa.config import mpesa_config_set

    mpesa_config_set(store=org_a.stores[0], kind="paybill", shortcode="600000", passkey="x")

    response = start(terminal_client(org_a), org_a)

    assert response.status_code == 400
    assert "Invalid BusinessShortCode" in response.json()["error"]["message"]
    assert MpesaStkAttempt.objects.get().status == "failed"


def test_a_till_cannot_prompt_for_another_store(org_a, till, fake_daraja):
    configure_store(org_a.stores[1])
    body = {"store_id": str(org_a.stores[1].uuid), "phone": "0712345678", "amount_cents": 100}

    response = till.post(STK, body, format="json")

    assert response.status_code == 400
    assert "store_id" in response.json()["error"]["fields"]


def test_the_pass_key_is_encrypted_at_rest(org_a):
    from cloud_api.integrations.fake_daraja_records import SANDBOX_PASSKEY
    from cloud_api.payments.mpesa.config import passkey_of

    config = configure_store(org_a.stores[0])

    assert SANDBOX_PASSKEY not in config.passkey_encrypted
    assert passkey_of(config) == SANDBOX_PASSKEY


def test_a_till_polling_a_late_prompt_makes_the_cloud_ask_m_pesa(org_a, till, fake_daraja):
    attempt = attempt_of(start(till, org_a))
    fake_daraja.answer(attempt.checkout_request_id)  # paid; the callback is slow
    MpesaStkAttempt.objects.filter(pk=attempt.pk).update(
        created_at=timezone.now() - timedelta(seconds=30)
    )

    till.get(f"{STK}{attempt.uuid}/")
    shown = till.get(f"{STK}{attempt.uuid}/").json()

    assert shown["status"] == "succeeded"
    assert fake_daraja.hits(QUERY_PATH) == 1
