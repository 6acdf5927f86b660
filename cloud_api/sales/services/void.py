"""Void a whole sale: stock comes back and its payments are reversed."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cloud_api.accounts.models import User
from cloud_api.analytics.insights_tasks import insights_refresh_soon
from cloud_api.core.errors import ConflictError
from cloud_api.inventory.models import MovementReason
from cloud_api.inventory.services import stock_movements_record
from cloud_api.payments.models import PaymentStatus
from cloud_api.payments.services import payment_status_set
from cloud_api.reporting.services import aggregates_apply, sale_figures
from cloud_api.sales.models import Sale, SaleStatus


@transaction.atomic
def sale_void(
    *, sale: Sale, voided_by: User | None, reason: str, voided_at: datetime | None = None
) -> Sale:
    """Cancel a whole sale: stock comes back, its payments are reversed. ``voided_at`` is the
    till's time for a void pushed by a till (else now)."""
    sale = Sale.objects.select_for_update().get(pk=sale.pk)
    if sale.status == SaleStatus.VOIDED:
        raise ConflictError("This sale is already voided.")
    if sale.refunded_cents:
        raise ConflictError("A sale with refunds cannot be voided; refund the rest instead.")
    sale.status = SaleStatus.VOIDED
    sale.voided_at = voided_at or timezone.now()
    sale.voided_by = voided_by
    sale.void_reason = reason
    sale.save()
    aggregates_apply([sale_figures(sale)], sign=-1)
    stock_movements_record(
        store=sale.store,
        deltas=[
            (line.product, line.quantity_milli) for line in sale.lines.select_related("product")
        ],
        reason=MovementReason.SALE_VOID,
        reference=sale.uuid,
        created_by=voided_by,
    )
    for payment in sale.payments.filter(status=PaymentStatus.COMPLETED):
        payment_status_set(
            payment=payment, status=PaymentStatus.REVERSED, note="sale voided", changed_by=voided_by
        )
    insights_refresh_soon(sale.store_id)
    return sale
