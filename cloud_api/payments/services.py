from __future__ import annotations

from django.db import transaction

from cloud_api.accounts.models import User
from cloud_api.core.errors import ApplicationError
from cloud_api.payments.models import Payment, PaymentStatus, PaymentStatusChange

# Allowed moves; a completed payment can only be reversed (void/refund), never "fail" later.
TRANSITIONS = {
    PaymentStatus.PENDING: {PaymentStatus.COMPLETED, PaymentStatus.FAILED},
    PaymentStatus.COMPLETED: {PaymentStatus.REVERSED},
    PaymentStatus.FAILED: set(),
    PaymentStatus.REVERSED: set(),
}


@transaction.atomic(savepoint=False)
def payments_record(
    *, sale, payments: list[dict], recorded_by: User | None = None
) -> list[Payment]:
    """Record a sale's tenders (``uuid``, ``method``, ``amount_cents``, ``reference``)."""
    rows = Payment.objects.bulk_create(
        Payment(sale=sale, status=PaymentStatus.COMPLETED, **payment) for payment in payments
    )
    PaymentStatusChange.objects.bulk_create(
        PaymentStatusChange(
            payment=row,
            to_status=PaymentStatus.COMPLETED,
            note="recorded",
            changed_by=recorded_by,
        )
        for row in rows
    )
    return rows


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
