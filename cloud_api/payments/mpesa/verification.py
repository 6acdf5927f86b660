"""Checking M-Pesa codes typed in at the till (offline, or paid to the till number).

A code is looked up in what the cloud already holds (successful STK prompts, C2B
confirmations, earlier Transaction Status answers); where none, Daraja's Transaction Status
query is asked and its answer arrives later at the result URL. A code settles one tender only
(``MpesaReceiptUse`` is unique on it). Anything but a clean match tells the store's managers
and owner.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cloud_api.integrations.daraja import DarajaError, client_from_settings
from cloud_api.notifications.services import notification_notify_store
from cloud_api.payments.models import (
    MpesaC2BPayment,
    MpesaReceiptUse,
    MpesaShortcodeKind,
    MpesaStatusCheck,
    MpesaStkAttempt,
    MpesaStoreConfig,
    Payment,
    PaymentMethod,
    PaymentVerification,
    StkStatus,
)
from cloud_api.payments.mpesa.config import callback_url

log = structlog.get_logger(__name__)


def initial_verification(method: str, reference: str | None) -> str | None:
    """What a newly recorded tender starts as: only M-Pesa tenders are checked."""
    if method != PaymentMethod.MPESA:
        return None
    return (
        PaymentVerification.PENDING if (reference or "").strip() else PaymentVerification.UNVERIFIED
    )


def verification_enqueue(payment_ids: list[int]) -> None:
    """Check these payments' codes once the caller's transaction has committed."""
    if not payment_ids:
        return
    from cloud_api.payments.tasks import verify_mpesa_payments

    transaction.on_commit(lambda: verify_mpesa_payments.delay(payment_ids))


def _money(cents: int) -> str:
    return f"KES {cents / 100:,.2f}"


def payment_verify(payment: Payment) -> Payment:
    if payment.method != PaymentMethod.MPESA or payment.verification != PaymentVerification.PENDING:
        return payment
    code = (payment.reference or "").strip().upper()
    sale = payment.sale
    attempt = (
        MpesaStkAttempt.objects.filter(
            Q(mpesa_receipt=code) | Q(checkout_request_id=code),
            store_id=sale.store_id,
            status=StkStatus.SUCCEEDED,
        )
        .order_by("id")
        .first()
    )
    if attempt is not None:
        paid = attempt.paid_cents or attempt.amount_cents
        return _match(payment, attempt.mpesa_receipt or code, paid, link=attempt)
    c2b = MpesaC2BPayment.objects.filter(trans_id=code).first()
    if c2b is not None:
        if c2b.store_id != sale.store_id:
            return _conclude(
                payment,
                PaymentVerification.MISMATCH,
                f"M-Pesa code {code} was paid to another store's number "
                f"({c2b.business_short_code}).",
            )
        return _match(payment, code, c2b.amount_cents, link=c2b)
    answered = MpesaStatusCheck.objects.filter(
        receipt=code, result_code=0, payment__sale__store_id=sale.store_id
    ).exclude(amount_cents__isnull=True)
    check = answered.order_by("id").first()
    if check is not None:
        return _match(payment, code, check.amount_cents or 0, link=None)
    return _ask_daraja(payment, code)


def _ask_daraja(payment: Payment, code: str) -> Payment:
    config = MpesaStoreConfig.objects.filter(store_id=payment.sale.store_id).first()
    if config is None or not (settings.MPESA_INITIATOR_NAME and settings.MPESA_SECURITY_CREDENTIAL):
        return _conclude(
            payment,
            PaymentVerification.UNVERIFIED,
            f"M-Pesa code {code} is not among the payments this store received, and M-Pesa "
            "cannot be asked (Transaction Status is not set up). Check it on the M-Pesa statement.",
        )
    check = MpesaStatusCheck.objects.create(
        payment=payment, receipt=code, originator_conversation_id=uuid4().hex
    )
    identifier = "4" if config.kind == MpesaShortcodeKind.PAYBILL else "2"
    try:
        answer = client_from_settings().transaction_status(
            initiator=settings.MPESA_INITIATOR_NAME,
            security_credential=settings.MPESA_SECURITY_CREDENTIAL,
            transaction_id=code,
            party_a=config.party_b,
            identifier_type=identifier,
            result_url=callback_url("mpesa-status-result"),
            timeout_url=callback_url("mpesa-status-timeout"),
            originator_conversation_id=check.originator_conversation_id,
        )
    except DarajaError as exc:
        log.warning("mpesa_status_query_failed", payment=str(payment.uuid), error=exc.message)
        check.result_desc = exc.message[:255]
        check.save(update_fields=["result_desc"])
        raise
    check.conversation_id = str(answer.get("ConversationID", ""))[:64]
    check.save(update_fields=["conversation_id"])
    return payment


def _result_parameters(result: dict[str, Any]) -> dict[str, Any]:
    items = (result.get("ResultParameters") or {}).get("ResultParameter") or []
    if isinstance(items, dict):
        items = [items]
    return {str(item.get("Key")): item.get("Value") for item in items if isinstance(item, dict)}


def status_result_receive(body: Any, *, timed_out: bool = False) -> None:
    """Daraja's answer to a Transaction Status query (or its queue time-out)."""
    try:
        result = body["Result"]
        originator = str(result["OriginatorConversationID"])
        code = int(result.get("ResultCode", 1))
    except (KeyError, TypeError, ValueError):
        log.warning("mpesa_status_result_malformed", body=str(body)[:500])
        return
    with transaction.atomic():
        check = (
            MpesaStatusCheck.objects.select_for_update()
            .filter(originator_conversation_id=originator)
            .first()
        )
        if check is None or check.answered_at is not None:
            log.info("mpesa_status_result_ignored", originator=originator)
            return
        params = _result_parameters(result)
        check.answered_at = timezone.now()
        check.result_code = None if timed_out else code
        check.result_desc = str(result.get("ResultDesc", ""))[:255]
        check.credit_party = str(params.get("CreditPartyName") or "")[:128]
        check.body = body
        completed = not timed_out and code == 0 and params.get("TransactionStatus") == "Completed"
        try:
            check.amount_cents = round(float(params["Amount"]) * 100) if completed else None
        except (KeyError, TypeError, ValueError):
            check.amount_cents, completed = None, False
        check.save()
    payment = Payment.objects.select_related("sale", "sale__store").get(pk=check.payment_id)
    if payment.verification != PaymentVerification.PENDING:
        return
    if timed_out:
        _conclude(
            payment,
            PaymentVerification.UNVERIFIED,
            f"M-Pesa did not answer the check of code {check.receipt}; check it on the statement.",
        )
    elif not completed:
        _conclude(
            payment,
            PaymentVerification.UNVERIFIED,
            f"M-Pesa does not know code {check.receipt} ({check.result_desc}).",
        )
    elif not _paid_to_store(payment, check.credit_party):
        _conclude(
            payment,
            PaymentVerification.MISMATCH,
            f"M-Pesa code {check.receipt} was paid to another business ({check.credit_party}).",
        )
    else:
        _match(payment, check.receipt, check.amount_cents or 0, link=None)


def _paid_to_store(payment: Payment, credit_party: str) -> bool:
    config = MpesaStoreConfig.objects.filter(store_id=payment.sale.store_id).first()
    if config is None or not credit_party:
        return True  # nothing to compare with: the amount and uniqueness checks still apply
    numbers = {config.shortcode, config.till_number} - {""}
    return credit_party.split(" ", 1)[0] in numbers


def _match(payment: Payment, code: str, paid_cents: int, *, link: Any) -> Payment:
    if paid_cents != payment.amount_cents:
        return _conclude(
            payment,
            PaymentVerification.MISMATCH,
            f"M-Pesa code {code} paid {_money(paid_cents)}, but the sale took it for "
            f"{_money(payment.amount_cents)}.",
        )
    try:
        with transaction.atomic():
            MpesaReceiptUse.objects.create(receipt=code, payment=payment)
    except IntegrityError:
        use = MpesaReceiptUse.objects.filter(receipt=code).select_related("payment__sale").first()
        if use is None or use.payment_id != payment.pk:
            other = use.payment.sale.receipt_no if use else "another sale"
            return _conclude(
                payment,
                PaymentVerification.MISMATCH,
                f"M-Pesa code {code} was already used for receipt {other}.",
            )
    with transaction.atomic():
        if isinstance(link, MpesaStkAttempt | MpesaC2BPayment) and link.payment_id is None:
            type(link).objects.filter(pk=link.pk, payment__isnull=True).update(payment=payment)
        if isinstance(link, MpesaC2BPayment) and link.claimed_at is None:
            MpesaC2BPayment.objects.filter(pk=link.pk).update(claimed_at=timezone.now())
        return _set(payment, PaymentVerification.VERIFIED, f"M-Pesa confirms code {code}.")


def _conclude(payment: Payment, verification: str, note: str) -> Payment:
    with transaction.atomic():
        payment = _set(payment, verification, note)
        sale = payment.sale
        notification_notify_store(
            store=sale.store,
            kind=f"mpesa_{verification}",
            message=f"Receipt {sale.receipt_no}: {note}",
            data={
                "sale_id": str(sale.uuid),
                "payment_id": str(payment.uuid),
                "reference": payment.reference,
                "amount_cents": payment.amount_cents,
                "verification": verification,
            },
        )
    log.info("mpesa_code_checked", payment=str(payment.uuid), verification=verification)
    return payment


def _set(payment: Payment, verification: str, note: str) -> Payment:
    Payment.objects.filter(pk=payment.pk).update(
        verification=verification, verification_note=note[:255], updated_at=timezone.now()
    )
    payment.verification, payment.verification_note = verification, note[:255]
    return payment


def payments_verify(payment_ids: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    payments = Payment.objects.filter(
        pk__in=payment_ids, verification=PaymentVerification.PENDING
    ).select_related("sale", "sale__store")
    for payment in payments:
        try:
            result = payment_verify(payment).verification or ""
        except DarajaError:
            result = "retry"
        counts[result] = counts.get(result, 0) + 1
    return counts
