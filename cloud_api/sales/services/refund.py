"""Refund part of a sale: money back per line, to the cent, and the goods back on the shelf."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from cloud_api.accounts.models import User
from cloud_api.analytics.insights_tasks import insights_refresh_soon
from cloud_api.core.admin_display import quantity as quantity_text
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.inventory.models import MovementReason
from cloud_api.inventory.services import stock_movements_record
from cloud_api.sales.dates import local_date
from cloud_api.sales.models import Refund, RefundLine, Sale, SaleStatus
from cloud_api.sales.money import round_half_up_div


@transaction.atomic
def refund_create(
    *,
    sale: Sale,
    lines: list[dict[str, Any]],
    method: str,
    reason: str,
    created_by: User | None,
    refund_uuid: UUID | None = None,
    created_at: datetime | None = None,
    refund_no: str = "",
) -> Refund:
    """Give money back for some quantity of some lines; returned goods go back on the shelf.

    A line's refunds are worked out on its running total, so refunding a line in pieces
    returns exactly what the customer paid for it, to the cent.
    """
    sale = Sale.objects.select_for_update().select_related("organisation", "store").get(pk=sale.pk)
    if refund_uuid is not None:
        existing = Refund.objects.filter(uuid=refund_uuid, sale=sale).first()
        if existing is not None:
            return existing
    if sale.status == SaleStatus.VOIDED:
        raise ConflictError("A voided sale cannot be refunded.")
    locked_lines = sale.lines.select_for_update().select_related("product")
    sale_lines = {line.uuid: line for line in locked_lines}
    wanted: dict[UUID, int] = {}
    for index, item in enumerate(lines):
        line = sale_lines.get(item["line_id"])
        if line is None:
            raise ApplicationError(
                "This line is not part of the sale.",
                fields={f"lines[{index}].line_id": ["Unknown."]},
            )
        milli = item["qty"] * 1000 if item.get("qty") is not None else item.get("qty_milli")
        if not milli:
            raise ApplicationError(
                "Give qty or qty_milli to refund.", fields={f"lines[{index}].qty": ["Required."]}
            )
        if line.qty is not None and milli % 1000:
            raise ApplicationError(
                f"{line.name} is sold by count: refund whole items.",
                fields={f"lines[{index}].qty_milli": ["Whole items only (multiples of 1000)."]},
            )
        wanted[line.uuid] = wanted.get(line.uuid, 0) + milli
    refund = Refund(
        sale=sale,
        store=sale.store,
        refund_no=refund_no,
        method=method,
        reason=reason,
        amount_cents=0,
        tax_cents=0,
        # A till's refund is dated by its own clock, like its sales.
        business_date=local_date(created_at or timezone.now(), sale.organisation.time_zone),
        created_by=created_by,
    )
    if refund_uuid is not None:
        refund.uuid = refund_uuid
    refund_lines: list[RefundLine] = []
    for line_uuid, milli in wanted.items():
        line = sale_lines[line_uuid]
        sold = line.quantity_milli
        if line.refunded_milli + milli > sold:
            left = sold - line.refunded_milli
            raise ApplicationError(
                f"Only {quantity_text(left, line.product.sold_by)} of {line.name} can still be "
                "refunded."
                if left
                else f"{line.name} has already been refunded in full.",
                fields={"lines": [f"Too much of {line.name}."]},
            )
        after = line.refunded_milli + milli
        amount = round_half_up_div(line.total_cents * after, sold) - round_half_up_div(
            line.total_cents * line.refunded_milli, sold
        )
        tax = round_half_up_div(line.tax_cents * after, sold) - round_half_up_div(
            line.tax_cents * line.refunded_milli, sold
        )
        line.refunded_milli = after
        refund_lines.append(
            RefundLine(sale_line=line, qty_milli=milli, amount_cents=amount, tax_cents=tax)
        )
        refund.amount_cents += amount
        refund.tax_cents += tax
    refund.save()
    for refund_line in refund_lines:
        refund_line.refund = refund
        refund_line.sale_line.save(update_fields=["refunded_milli"])
    stock_movements_record(
        store=sale.store,
        deltas=[(item.sale_line.product, item.qty_milli) for item in refund_lines],
        reason=MovementReason.REFUND,
        reference=refund.uuid,
        created_by=created_by,
    )
    RefundLine.objects.bulk_create(refund_lines)
    sale.refunded_cents += refund.amount_cents
    sale.save(update_fields=["refunded_cents", "updated_at"])
    insights_refresh_soon(sale.store_id)
    return refund
