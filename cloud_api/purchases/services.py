"""Suppliers and purchase orders; receiving goods moves stock and records cost prices."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction
from uuid6 import uuid7

from cloud_api.accounts.models import Organisation, Store, User
from cloud_api.catalog.services import product_cost_record
from cloud_api.core.admin_display import quantity as quantity_text
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.core.principal import HEAD_OFFICE, MANAGER, OWNER
from cloud_api.inventory.models import MovementReason
from cloud_api.inventory.services import stock_movements_record
from cloud_api.purchases.models import OrderStatus, PurchaseOrder, PurchaseOrderLine, Supplier

# Who may read and who may change suppliers and purchase orders (the API and the dashboard).
PURCHASE_ROLES = {"read": {OWNER, MANAGER, HEAD_OFFICE}, "write": {OWNER, MANAGER}}


def _check_supplier_name(organisation_id: int, name: str, exclude_pk: int | None) -> None:
    clash = Supplier.objects.filter(organisation_id=organisation_id, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ConflictError("A supplier with this name exists.", fields={"name": ["Already used."]})


@transaction.atomic
def supplier_create(*, organisation: Organisation, name: str, **details: str | int) -> Supplier:
    _check_supplier_name(organisation.pk, name, None)
    return Supplier.objects.create(organisation=organisation, name=name, **details)


@transaction.atomic
def supplier_update(*, supplier: Supplier, **changes: str | int) -> Supplier:
    if "name" in changes:
        _check_supplier_name(supplier.organisation_id, str(changes["name"]), supplier.pk)
    for field, value in changes.items():
        setattr(supplier, field, value)
    supplier.save()
    return supplier


@transaction.atomic
def purchase_order_create(
    *,
    organisation: Organisation,
    store: Store,
    supplier: Supplier,
    lines: list[dict[str, Any]],
    reference: str = "",
    notes: str = "",
    created_by: User | None = None,
    status: str = OrderStatus.ORDERED,
) -> PurchaseOrder:
    """``lines``: dicts with ``product`` (Product), ``quantity_milli``, ``cost_price_cents``.
    ``status`` is ``ordered``, or ``draft`` for an order someone still has to confirm."""
    products = [line["product"] for line in lines]
    if len({product.pk for product in products}) != len(products):
        raise ApplicationError(
            "Each product may appear once per order.", fields={"lines": ["Repeated product."]}
        )
    order = PurchaseOrder.objects.create(
        organisation=organisation,
        store=store,
        supplier=supplier,
        reference=reference,
        notes=notes,
        created_by=created_by,
        status=status,
    )
    PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(
            uuid=uuid7(),
            order=order,
            product=line["product"],
            quantity_milli=line["quantity_milli"],
            cost_price_cents=line["cost_price_cents"],
        )
        for line in lines
    )
    return order


@transaction.atomic
def purchase_order_receive(
    *,
    order: PurchaseOrder,
    received_by: User | None,
    lines: list[dict[str, Any]] | None = None,
) -> PurchaseOrder:
    """Receive goods: everything outstanding, or the given ``{line_id, quantity_milli}``.

    Each received quantity is a stock movement; the product's cost price becomes the line's.
    """
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.status in {OrderStatus.RECEIVED, OrderStatus.CANCELLED}:
        raise ConflictError(f"This order is {order.status}; nothing more can be received.")
    if order.status == OrderStatus.DRAFT:
        raise ConflictError("This order is a draft: confirm it before receiving goods.")
    order_lines: dict[UUID, PurchaseOrderLine] = {
        line.uuid: line for line in order.lines.select_for_update().select_related("product")
    }
    if lines is None:
        receipts = [(line, line.outstanding_milli) for line in order_lines.values()]
    else:
        receipts = []
        for index, item in enumerate(lines):
            line = order_lines.get(item["line_id"])
            if line is None:
                raise ApplicationError(
                    "This line is not part of the order.",
                    fields={f"lines[{index}].line_id": ["Unknown."]},
                )
            receipts.append((line, item["quantity_milli"]))
    deltas = []
    for line, quantity in receipts:
        if quantity > line.outstanding_milli:
            raise ApplicationError(
                f"Only {quantity_text(line.outstanding_milli, line.product.sold_by)} of "
                f"{line.product.name} left to receive on this order.",
                fields={"lines": [f"Too much of {line.product.name}."]},
            )
        if quantity <= 0:
            continue
        line.received_milli += quantity
        line.save(update_fields=["received_milli"])
        deltas.append((line.product, quantity))
        product_cost_record(product=line.product, cost_price_cents=line.cost_price_cents)
    if deltas:
        stock_movements_record(
            store=order.store,
            deltas=deltas,
            reason=MovementReason.PURCHASE_RECEIPT,
            reference=order.uuid,
            created_by=received_by,
        )
    done = all(line.outstanding_milli == 0 for line in order_lines.values())
    order.status = OrderStatus.RECEIVED if done else OrderStatus.PARTIALLY_RECEIVED
    order.save(update_fields=["status", "updated_at"])
    return order


@transaction.atomic
def purchase_order_cancel(*, order: PurchaseOrder) -> PurchaseOrder:
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.status not in {OrderStatus.ORDERED, OrderStatus.DRAFT}:
        raise ConflictError("Only an order with nothing received yet can be cancelled.")
    order.status = OrderStatus.CANCELLED
    order.save(update_fields=["status", "updated_at"])
    return order


@transaction.atomic
def purchase_order_confirm(*, order: PurchaseOrder) -> PurchaseOrder:
    """A draft (a reorder suggestion put into an order) becomes an order placed. Confirming
    an order already placed changes nothing, so a retried request is harmless."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.status == OrderStatus.ORDERED:
        return order
    if order.status != OrderStatus.DRAFT:
        raise ConflictError(f"This order is {order.status.replace('_', ' ')}, not a draft.")
    order.status = OrderStatus.ORDERED
    order.save(update_fields=["status", "updated_at"])
    return order


@transaction.atomic
def purchase_order_draft_edit(
    *, order: PurchaseOrder, quantities: dict[UUID, int], removed: set[UUID]
) -> PurchaseOrder:
    """Change a draft's quantities (line uuid -> thousandths) and take lines out before it is
    confirmed. A draft keeps at least one line: an order of nothing is discarded instead."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise ConflictError(
            f"This order is {order.status.replace('_', ' ')}: only a draft can be changed."
        )
    lines = {line.uuid: line for line in order.lines.select_for_update()}
    unknown = (set(quantities) | removed) - set(lines)
    if unknown:
        raise ApplicationError(
            "A line is not part of this order.", fields={"lines": ["Unknown line."]}
        )
    if not set(lines) - removed:
        raise ApplicationError(
            "An order needs at least one product: discard the draft instead.",
            fields={"lines": ["Every line was removed."]},
        )
    for line_uuid, quantity in quantities.items():
        if quantity <= 0:
            raise ApplicationError(
                "Each quantity must be more than zero: remove the line instead.",
                fields={"lines": ["Quantity must be more than zero."]},
            )
        line = lines[line_uuid]
        if line_uuid not in removed and line.quantity_milli != quantity:
            line.quantity_milli = quantity
            line.save(update_fields=["quantity_milli"])
    if removed:
        PurchaseOrderLine.objects.filter(order=order, uuid__in=removed).delete()
    order.save(update_fields=["updated_at"])
    return order
