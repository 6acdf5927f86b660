"""Sale writes: record a till's sale (idempotently), void it, refund it."""

from __future__ import annotations

import hashlib
import json
import zoneinfo
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from cloud_api.accounts.models import Organisation, Store, Terminal, User
from cloud_api.catalog.models import Product
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.inventory.models import MovementReason
from cloud_api.inventory.services import stock_movements_record
from cloud_api.payments.models import PaymentStatus
from cloud_api.payments.services import payment_status_set, payments_record
from cloud_api.sales.models import Refund, RefundLine, Sale, SaleLine, SaleStatus
from cloud_api.sales.money import round_half_up_div, sale_money_problems


def local_date(moment: datetime, time_zone: str) -> date:
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def payload_digest(payload: dict[str, Any]) -> str:
    """Fingerprint of a sale, so a retry is told apart from a different sale reusing an id."""
    text = json.dumps(_canonical(payload), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _stored_twin(sale_uuid: UUID, digest: str, store: Store) -> Sale | None:
    """The stored copy of this very sale (a retry), or None; a different sale under the same
    id is a conflict."""
    existing = Sale.objects.filter(uuid=sale_uuid).first()
    if existing is None:
        return None
    if existing.payload_sha256 == digest and existing.store_id == store.pk:
        return existing
    raise ConflictError(
        "A different sale with this id already exists.", fields={"id": ["Already used."]}
    )


def _check_ids_unused(lines: list[dict[str, Any]], payments: list[dict[str, Any]]) -> None:
    from cloud_api.payments.models import Payment

    line_ids = [line["id"] for line in lines]
    payment_ids = [payment["id"] for payment in payments]
    if len(set(line_ids)) != len(line_ids) or len(set(payment_ids)) != len(payment_ids):
        raise ApplicationError("Line and payment ids must be unique within the sale.")
    if SaleLine.objects.filter(uuid__in=line_ids).exists():
        raise ConflictError(
            "A line id of this sale is already used by another sale.",
            fields={"lines": ["Line id already used."]},
        )
    if Payment.objects.filter(uuid__in=payment_ids).exists():
        raise ConflictError(
            "A payment id of this sale is already used by another sale.",
            fields={"payments": ["Payment id already used."]},
        )


@transaction.atomic
def sale_record(
    *,
    organisation: Organisation,
    store: Store,
    payload: dict[str, Any],
    terminal: Terminal | None = None,
    recorded_by: User | None = None,
    cashier_must_be: User | None = None,
) -> tuple[Sale, bool]:
    """Store a completed sale in the ``sale.completed`` shape; returns (sale, created).

    The same sale sent twice is a duplicate (returned, not stored again); the same id with a
    different content is a conflict. Prices are kept as charged; a difference from the catalog
    only raises ``price_mismatch``. Stock always moves, even below zero.
    """
    digest = payload_digest(payload)
    twin = _stored_twin(payload["id"], digest, store)
    if twin is not None:
        return twin, False
    lines, payments = payload["lines"], payload["payments"]
    problems = sale_money_problems(sale=payload, lines=lines, payments=payments)
    if problems:
        first = next(iter(problems.values()))[0]
        raise ApplicationError(f"The sale's amounts do not add up: {first}", fields=problems)
    if payload["currency"] != organisation.currency:
        raise ApplicationError(
            f"This organisation sells in {organisation.currency}.",
            fields={"currency": [f"Expected {organisation.currency}."]},
        )
    cashier = User.objects.filter(uuid=payload["cashier_id"], organisation=organisation).first()
    if cashier is None:
        raise ApplicationError("Unknown cashier.", fields={"cashier_id": ["Unknown cashier."]})
    if cashier_must_be is not None and cashier.pk != cashier_must_be.pk:
        raise ApplicationError(
            "A cashier records only their own sales.",
            fields={"cashier_id": ["Must be your own id."]},
        )
    products = {
        product.uuid: product
        for product in Product.objects.filter(
            organisation=organisation, uuid__in={line["product_id"] for line in lines}
        )
    }
    unknown = [str(line["product_id"]) for line in lines if line["product_id"] not in products]
    if unknown:
        raise ApplicationError(
            f"Unknown product {unknown[0]}.", fields={"lines": [f"Unknown product {unknown[0]}."]}
        )
    try:
        if Sale.objects.filter(store=store, receipt_no=payload["receipt_no"]).exists():
            raise ConflictError(
                "Another sale of this store has this receipt number.",
                fields={"receipt_no": ["Already used."]},
            )
        _check_ids_unused(lines, payments)
    except ConflictError:
        # The same sale may have been committed by a concurrent retry since the first look.
        twin = _stored_twin(payload["id"], digest, store)
        if twin is not None:
            return twin, False
        raise

    sale = Sale(
        uuid=payload["id"],
        organisation=organisation,
        store=store,
        terminal=terminal,
        cashier=cashier,
        recorded_by=recorded_by,
        shift_id=payload.get("shift_id"),
        receipt_no=payload["receipt_no"],
        completed_at=payload["completed_at"],
        business_date=local_date(payload["completed_at"], organisation.time_zone),
        currency=payload["currency"],
        subtotal_cents=payload["subtotal_cents"],
        discount_cents=payload["discount_cents"],
        tax_cents=payload["tax_cents"],
        total_cents=payload["total_cents"],
        change_cents=payload["change_cents"],
        items_count=sum(line["qty"] if line["qty"] is not None else 1 for line in lines),
        price_mismatch=any(
            line["unit_price_cents"] != products[line["product_id"]].price_cents for line in lines
        ),
        payload_sha256=digest,
    )
    try:
        with transaction.atomic():  # savepoint: the same sale may be arriving twice at once
            sale.save(force_insert=True)
    except IntegrityError:
        twin = _stored_twin(payload["id"], digest, store)
        if twin is not None:
            return twin, False
        raise ConflictError(
            "A different sale with this id or receipt number already exists.",
            fields={"id": ["Already used."]},
        ) from None
    sale_lines = [
        SaleLine(
            uuid=line["id"],
            sale=sale,
            line_no=index + 1,
            product=products[line["product_id"]],
            barcode=line.get("barcode"),
            name=line["name"],
            qty=line["qty"],
            qty_milli=line["qty_milli"],
            unit_price_cents=line["unit_price_cents"],
            discount_cents=line["discount_cents"],
            tax_cents=line["tax_cents"],
            total_cents=line["total_cents"],
            catalog_price_cents=products[line["product_id"]].price_cents,
        )
        for index, line in enumerate(lines)
    ]
    SaleLine.objects.bulk_create(sale_lines)
    payment_rows = payments_record(
        sale=sale,
        payments=[
            {
                "uuid": payment["id"],
                "method": payment["method"],
                "amount_cents": payment["amount_cents"],
                "reference": payment.get("reference"),
            }
            for payment in payments
        ],
        recorded_by=recorded_by,
    )
    stock_movements_record(
        store=store,
        deltas=[(line.product, -line.quantity_milli) for line in sale_lines],
        reason=MovementReason.SALE,
        reference=sale.uuid,
        created_by=recorded_by,
    )
    _remember_children(sale, lines=sale_lines, payments=payment_rows)
    return sale, True


def _remember_children(sale: Sale, **children: list[Any]) -> None:
    """Fill the sale's related managers with the rows just written (as prefetch_related does),
    so answering with the new sale does not read it all back."""
    cache = {}
    for name, rows in children.items():
        queryset = getattr(sale, name).all()
        queryset._result_cache = rows
        queryset._prefetch_done = True
        cache[name] = queryset
    sale._prefetched_objects_cache = cache


@transaction.atomic
def sale_void(*, sale: Sale, voided_by: User | None, reason: str) -> Sale:
    """Cancel a whole sale: stock comes back, its payments are reversed."""
    sale = Sale.objects.select_for_update().get(pk=sale.pk)
    if sale.status == SaleStatus.VOIDED:
        raise ConflictError("This sale is already voided.")
    if sale.refunded_cents:
        raise ConflictError("A sale with refunds cannot be voided; refund the rest instead.")
    sale.status = SaleStatus.VOIDED
    sale.voided_at = timezone.now()
    sale.voided_by = voided_by
    sale.void_reason = reason
    sale.save()
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
    return sale


@transaction.atomic
def refund_create(
    *,
    sale: Sale,
    lines: list[dict[str, Any]],
    method: str,
    reason: str,
    created_by: User | None,
    refund_uuid: UUID | None = None,
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
        wanted[line.uuid] = wanted.get(line.uuid, 0) + milli
    refund = Refund(
        sale=sale,
        store=sale.store,
        method=method,
        reason=reason,
        amount_cents=0,
        tax_cents=0,
        business_date=local_date(timezone.now(), sale.organisation.time_zone),
        created_by=created_by,
    )
    if refund_uuid is not None:
        refund.uuid = refund_uuid
    refund_lines: list[RefundLine] = []
    for line_uuid, milli in wanted.items():
        line = sale_lines[line_uuid]
        sold = line.quantity_milli
        if line.refunded_milli + milli > sold:
            raise ApplicationError(
                f"Only {sold - line.refunded_milli} thousandths of {line.name} are left to refund.",
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
    return refund
