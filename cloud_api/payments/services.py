from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from cloud_api.accounts.models import User
from cloud_api.core.bulk import insert_objects, insert_rows
from cloud_api.core.errors import ApplicationError
from cloud_api.payments.models import (
    Payment,
    PaymentStatus,
    PaymentStatusChange,
    PaymentVerification,
)
from cloud_api.payments.mpesa.verification import initial_verification, verification_enqueue

if TYPE_CHECKING:
    from cloud_api.sales.models import Sale

# Allowed moves; a completed payment can only be reversed (void/refund), never "fail" later.
TRANSITIONS = {
    PaymentStatus.PENDING: {PaymentStatus.COMPLETED, PaymentStatus.FAILED},
    PaymentStatus.COMPLETED: {PaymentStatus.REVERSED},
    PaymentStatus.FAILED: set(),
    PaymentStatus.REVERSED: set(),
}


@transaction.atomic(savepoint=False)
def payments_record(
    *, sale: Sale, payments: list[dict[str, Any]], recorded_by: User | None = None
) -> list[Payment]:
    """Record a sale's tenders (``uuid``, ``method``, ``amount_cents``, ``reference``)."""
    return payments_record_many(sales_payments=[(sale, payments)], recorded_by=recorded_by)[0]


@transaction.atomic(savepoint=False)
def payments_record_many(
    *, sales_payments: list[tuple[Sale, list[dict[str, Any]]]], recorded_by: User | None = None
) -> list[list[Payment]]:
    """The tenders of many sales in two inserts (payments, then their first history row)."""
    rows = [
        Payment(
            sale=sale,
            status=PaymentStatus.COMPLETED,
            verification=initial_verification(payment["method"], payment.get("reference")),
            **payment,
        )
        for sale, payments in sales_payments
        for payment in payments
    ]
    insert_objects(Payment, rows)
    # M-Pesa codes are checked after commit, off the request (a push never waits on M-Pesa).
    verification_enqueue(
        [row.pk for row in rows if row.verification == PaymentVerification.PENDING]
    )
    now, by = timezone.now(), recorded_by.pk if recorded_by else None
    insert_rows(
        PaymentStatusChange,
        ("payment", "from_status", "to_status", "note", "changed_by", "changed_at"),
        ((row.pk, "", PaymentStatus.COMPLETED, "recorded", by, now) for row in rows),
    )
    grouped: list[list[Payment]] = []
    start = 0
    for _, payments in sales_payments:
        grouped.append(rows[start : start + len(payments)])
        start += len(payments)
    return grouped


@transaction.atomic(savepoint=False)
def payment_status_set(
    *, payment: Payment, status: str, note: str = "", changed_by: User | None = None
) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if status == payment.status:
        return payment
    if status not in TRANSITIONS[PaymentStatus(payment.status)]:
        raise ApplicationError(
            f"A {payment.status} payment cannot become {status}.",
            fields={"status": ["Not allowed from the current status."]},
            status_code=409,
            code="conflict",
        )
    PaymentStatusChange.objects.create(
        payment=payment,
        from_status=payment.status,
        to_status=status,
        note=note,
        changed_by=changed_by,
    )
    payment.status = status
    payment.save(update_fields=["status", "updated_at"])
    return payment
