"""STK push ("send prompt to phone"): start an attempt, take Daraja's callback, and settle the
attempt through the STK query.

A callback is a hint, never the verdict: whatever it says, the attempt's final state comes from
Daraja's STK query (so even a callback forged by someone who learnt the URL cannot mark an
unpaid prompt as paid). Once an attempt is final, no callback or query changes it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cloud_api.accounts.models import Store
from cloud_api.core.errors import ApplicationError
from cloud_api.core.principal import Principal
from cloud_api.integrations.daraja import DarajaError, StkPushRequest, client_from_settings
from cloud_api.payments.models import (
    MpesaStkAttempt,
    MpesaStkCallback,
    MpesaStkStatusChange,
    StkStatus,
)
from cloud_api.payments.mpesa.amounts import normalise_phone, split_plan, whole_shillings
from cloud_api.payments.mpesa.config import callback_url, config_for, passkey_of

log = structlog.get_logger(__name__)

CANCELLED_CODES = {1032}
TIMEOUT_CODES = {1037, 1019}
# The STK query's "still under processing": the customer has not answered yet.
PROCESSING_CODES = {4999}


def status_for(result_code: int) -> str:
    if result_code == 0:
        return StkStatus.SUCCEEDED
    if result_code in CANCELLED_CODES:
        return StkStatus.CANCELLED
    if result_code in TIMEOUT_CODES:
        return StkStatus.TIMEOUT
    return StkStatus.FAILED


def _money(cents: int) -> str:
    return f"KES {cents / 100:,.0f}"


def stk_start(
    *, principal: Principal, store: Store, phone: str, amount_cents: int, reference: str
) -> MpesaStkAttempt:
    """Ask Daraja to prompt the customer's phone. The attempt row is written first, so it
    exists (and is kept, with Daraja's refusal) whatever Daraja answers."""
    try:
        phone = normalise_phone(phone)
    except ValueError as exc:
        raise ApplicationError(str(exc), fields={"phone": [str(exc)]}) from exc
    try:
        shillings = whole_shillings(amount_cents)
    except ValueError as exc:
        raise ApplicationError(str(exc), fields={"amount_cents": [str(exc)]}) from exc
    limit = settings.MPESA_MAX_TRANSACTION_CENTS
    if amount_cents > limit:
        plan = split_plan(amount_cents, limit)
        message = (
            f"M-Pesa takes at most {_money(limit)} per prompt; send {len(plan)} prompts "
            f"({', '.join(_money(part) for part in plan)})."
        )
        raise ApplicationError(message, fields={"amount_cents": [message]})
    config = config_for(store)
    attempt = MpesaStkAttempt.objects.create(
        organisation_id=store.organisation_id,
        store=store,
        terminal=principal.terminal,
        requested_by=principal.user,
        phone=phone,
        amount_cents=amount_cents,
        reference=reference,
    )
    MpesaStkStatusChange.objects.create(
        attempt=attempt, to_status=StkStatus.PENDING, note="prompt requested"
    )
    request = StkPushRequest(
        shortcode=config.shortcode,
        passkey=passkey_of(config),
        kind=config.kind,
        party_b=config.party_b,
        phone=phone,
        amount_shillings=shillings,
        callback_url=callback_url("mpesa-stk-callback"),
        account_reference=reference or store.name,
        description="Payment",
    )
    try:
        answer = client_from_settings().stk_push(request)
    except DarajaError as exc:
        _settle(attempt, StkStatus.FAILED, None, exc.message, note="Daraja refused the prompt")
        raise _api_error(exc) from exc
    attempt.merchant_request_id = str(answer.get("MerchantRequestID", ""))[:64]
    attempt.checkout_request_id = str(answer.get("CheckoutRequestID", ""))[:64] or None
    attempt.save(update_fields=["merchant_request_id", "checkout_request_id", "updated_at"])
    # A callback may have overtaken the push's own response.
    for early in MpesaStkCallback.objects.filter(
        checkout_request_id=attempt.checkout_request_id, applied=False
    ):
        _apply_callback(attempt, early)
    return attempt


def _api_error(exc: DarajaError) -> ApplicationError:
    if exc.unreachable:
        return ApplicationError(
            f"M-Pesa did not answer: {exc.message} No prompt was sent; try again.",
            code="mpesa_unavailable",
            status_code=503,
        )
    if exc.status is not None and 400 <= exc.status < 500:
        return ApplicationError(f"M-Pesa refused the prompt: {exc.message}", code="mpesa_refused")
    return ApplicationError(
        f"M-Pesa could not send the prompt: {exc.message}", code="mpesa_error", status_code=502
    )


@dataclass(frozen=True)
class StkCallback:
    checkout_request_id: str
    result_code: int
    result_desc: str
    metadata: dict[str, Any]


def parse_stk_callback(body: Any) -> StkCallback | None:
    """Daraja's published shape: ``{"Body": {"stkCallback": {...}}}``; ``None`` if it is not."""
    try:
        inner = body["Body"]["stkCallback"]
        checkout = str(inner["CheckoutRequestID"])
        code = int(inner["ResultCode"])
        items = (inner.get("CallbackMetadata") or {}).get("Item") or []
        metadata = {
            str(item["Name"]): item.get("Value") for item in items if isinstance(item, dict)
        }
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not checkout or len(checkout) > 64:
        return None
    return StkCallback(checkout, code, str(inner.get("ResultDesc", ""))[:255], metadata)


def stk_callback_receive(body: Any) -> None:
    callback = parse_stk_callback(body)
    if callback is None:
        log.warning("mpesa_stk_callback_malformed", body=str(body)[:500])
        return
    row = MpesaStkCallback.objects.create(
        checkout_request_id=callback.checkout_request_id,
        result_code=callback.result_code,
        body=body,
    )
    attempt = MpesaStkAttempt.objects.filter(
        checkout_request_id=callback.checkout_request_id
    ).first()
    if attempt is None:
        log.warning("mpesa_stk_callback_unknown", checkout=callback.checkout_request_id)
        return
    _apply_callback(attempt, row)


def _apply_callback(attempt: MpesaStkAttempt, row: MpesaStkCallback) -> None:
    callback = parse_stk_callback(row.body)
    assert callback is not None
    with transaction.atomic():
        attempt = MpesaStkAttempt.objects.select_for_update().get(pk=attempt.pk)
        MpesaStkCallback.objects.filter(pk=row.pk).update(applied=True)
        if attempt.is_final:
            log.info("mpesa_stk_callback_after_final", attempt=str(attempt.uuid))
            return
        note = f"callback: {callback.result_code} {callback.result_desc}"[:255]
        if callback.result_code == 0 and not attempt.mpesa_receipt:
            _remember_payment(attempt, callback.metadata)
            note = f"callback: paid, receipt {attempt.mpesa_receipt}; confirming with M-Pesa"
        MpesaStkStatusChange.objects.create(
            attempt=attempt, from_status=attempt.status, to_status=attempt.status, note=note
        )
        attempt_id = attempt.pk
        transaction.on_commit(lambda: _confirm_later(attempt_id))


def _confirm_later(attempt_id: int) -> None:
    from cloud_api.payments.tasks import confirm_stk_attempt

    confirm_stk_attempt.delay(attempt_id)


def _remember_payment(attempt: MpesaStkAttempt, metadata: dict[str, Any]) -> None:
    receipt = str(metadata.get("MpesaReceiptNumber") or "").strip().upper()[:20]
    if receipt and MpesaStkAttempt.objects.filter(mpesa_receipt=receipt).exists():
        log.warning("mpesa_stk_receipt_seen_before", receipt=receipt)
        receipt = ""
    attempt.mpesa_receipt = receipt or None
    try:
        attempt.paid_cents = round(float(metadata.get("Amount")) * 100)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        attempt.paid_cents = None
    attempt.paid_phone = str(metadata.get("PhoneNumber") or "")[:12]
    attempt.transaction_date = _daraja_time(metadata.get("TransactionDate"))
    attempt.save(
        update_fields=[
            "mpesa_receipt",
            "paid_cents",
            "paid_phone",
            "transaction_date",
            "updated_at",
        ]
    )


def _daraja_time(value: Any) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y%m%d%H%M%S").replace(
            tzinfo=ZoneInfo("Africa/Nairobi")
        )
    except (TypeError, ValueError):
        return None


def stk_confirm(attempt: MpesaStkAttempt) -> MpesaStkAttempt:
    """Ask Daraja (STK query) how the prompt ended, and settle the attempt if it has."""
    if attempt.is_final:
        return attempt
    if not attempt.checkout_request_id:
        return _timeout_if_overdue(attempt)
    config = config_for(attempt.store)
    MpesaStkAttempt.objects.filter(pk=attempt.pk).update(last_queried_at=timezone.now())
    try:
        answer = client_from_settings().stk_query(
            shortcode=config.shortcode,
            passkey=passkey_of(config),
            checkout_request_id=attempt.checkout_request_id,
        )
    except DarajaError as exc:
        if not exc.still_processing:
            log.warning("mpesa_stk_query_failed", attempt=str(attempt.uuid), error=exc.message)
        return _timeout_if_overdue(attempt)
    try:
        code = int(answer["ResultCode"])
    except (KeyError, TypeError, ValueError):
        log.warning("mpesa_stk_query_unreadable", attempt=str(attempt.uuid), body=str(answer))
        return attempt
    if code in PROCESSING_CODES:
        return _timeout_if_overdue(attempt)
    desc = str(answer.get("ResultDesc", ""))[:255]
    return _settle(attempt, status_for(code), code, desc, note="confirmed by STK query")


def _timeout_if_overdue(attempt: MpesaStkAttempt) -> MpesaStkAttempt:
    deadline = attempt.created_at + timedelta(minutes=settings.MPESA_STK_TIMEOUT_MINUTES)
    if timezone.now() < deadline:
        return attempt
    minutes = settings.MPESA_STK_TIMEOUT_MINUTES
    return _settle(
        attempt,
        StkStatus.TIMEOUT,
        None,
        f"No answer from M-Pesa within {minutes} minutes.",
        note="timed out",
    )


def _settle(
    attempt: MpesaStkAttempt, status: str, code: int | None, desc: str, *, note: str
) -> MpesaStkAttempt:
    with transaction.atomic():
        attempt = MpesaStkAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.is_final:
            return attempt
        MpesaStkStatusChange.objects.create(
            attempt=attempt, from_status=attempt.status, to_status=status, note=note[:255]
        )
        attempt.status = status
        attempt.result_code = code
        attempt.result_desc = desc
        attempt.finished_at = timezone.now()
        if status != StkStatus.SUCCEEDED:
            # A receipt only stands for money taken: a callback's claim is dropped on failure.
            attempt.mpesa_receipt = None
        attempt.save()
    log.info("mpesa_stk_settled", attempt=str(attempt.uuid), status=status, result_code=code)
    return attempt


def stk_poll_late() -> dict[str, int]:
    """Query attempts whose callback is late; end those that never got an answer."""
    now = timezone.now()
    late = now - timedelta(seconds=settings.MPESA_QUERY_AFTER_SECONDS)
    recently = now - timedelta(seconds=max(settings.MPESA_QUERY_AFTER_SECONDS // 2, 5))
    open_attempts = MpesaStkAttempt.objects.filter(
        status=StkStatus.PENDING, created_at__lte=late
    ).exclude(last_queried_at__gt=recently)
    counts = {"queried": 0, "settled": 0}
    for attempt in open_attempts.select_related("store").order_by("created_at")[:200]:
        counts["queried"] += 1
        if stk_confirm(attempt).is_final:
            counts["settled"] += 1
    return counts
