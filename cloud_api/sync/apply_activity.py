"""Pushed events other than sales, one savepoint each: voids, refunds, shifts, cash in/out,
drawer openings, stock counts, deliveries and audit rows (``apply_audit``).

They are rare next to sales, so clarity beats batching here. Each writes a ``TillActivity``
row head office can list; voids and refunds go through the same services as the API's
(reversing stock movements, payment history); stock events move stock by deltas.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import DatabaseError, IntegrityError, OperationalError, transaction

from cloud_api.accounts.models import User
from cloud_api.catalog.models import Product
from cloud_api.core.errors import MYSQL_BUSY, MYSQL_DUPLICATE, ApplicationError, database_problem
from cloud_api.inventory.models import MovementReason
from cloud_api.inventory.services import stock_movements_record_many
from cloud_api.notifications.services import notification_notify_store
from cloud_api.sales.models import Sale
from cloud_api.sales.services import local_date, refund_create, sale_void
from cloud_api.sync.apply_audit import audit_record
from cloud_api.sync.apply_notices import notice_read
from cloud_api.sync.models import TillActivity
from cloud_api.sync.push_status import APPLIED, REJECTED
from cloud_api.sync.validation import parse_time

if TYPE_CHECKING:
    from cloud_api.sync.push_batch import Incoming, PushContext

# Which payload field holds the moment, and which the amount, per event type.
MOMENT = {
    "sale.voided": "voided_at",
    "refund.created": "created_at",
    "shift.opened": "opened_at",
    "shift.closed": "closed_at",
    "cash.moved": "moved_at",
    "drawer.opened": "opened_at",
    "stock.adjusted": "adjusted_at",
    "goods.received": "received_at",
}
AMOUNT = {
    "sale.voided": "total_cents",
    "refund.created": "total_cents",
    "shift.opened": "opening_float_cents",
    "shift.closed": "counted_cash_cents",
    "cash.moved": "amount_cents",
}


def apply_one(context: PushContext, item: Incoming) -> None:
    """Apply one checked, new event in its own savepoint; answer it."""
    stranger = _stranger(context, item.payload)
    if stranger is not None:
        item.answer(REJECTED, stranger)
        return
    try:
        with transaction.atomic():
            APPLY[item.type](context, item.payload)
            if item.type in MOMENT:  # an audit row has its own table, not an activity row
                activity_record(context, item.type, item.payload)
    except ApplicationError as exc:
        item.answer(REJECTED, exc.message)
    except IntegrityError as exc:
        if exc.args and exc.args[0] == MYSQL_DUPLICATE and not context.last_attempt:
            # Most likely the same batch committed meanwhile by a concurrent request (a till
            # retrying after a timeout): run the batch again, which then answers "duplicate",
            # as the sales path does. On the last attempt it is a record sent before under
            # another event id.
            raise
        if exc.args and exc.args[0] == MYSQL_DUPLICATE:
            item.answer(REJECTED, f"this {item.type} record was already received")
        else:
            item.answer(REJECTED, database_problem(exc))
    except OperationalError as exc:
        if exc.args and exc.args[0] in MYSQL_BUSY:
            raise  # the batch is run again
        item.answer(REJECTED, database_problem(exc))
    except DatabaseError as exc:
        item.answer(REJECTED, database_problem(exc))
    except ValueError as exc:  # parse_time's "time ... is out of range", our own words
        item.answer(REJECTED, f"invalid: {exc}")
    else:
        item.answer(APPLIED)


def activity_record(context: PushContext, kind: str, payload: dict[str, Any]) -> TillActivity:
    moment = parse_time(payload[MOMENT[kind]])
    amount_field = AMOUNT.get(kind)
    return TillActivity.objects.create(
        record_id=payload["id"],
        organisation=context.organisation,
        store_id=context.terminal.store_id,
        terminal=context.terminal,
        kind=kind,
        shift_id=payload["id"] if kind.startswith("shift.") else payload.get("shift_id"),
        cashier_id=payload.get("cashier_id"),
        approved_by=payload.get("approved_by"),
        amount_cents=payload.get(amount_field) if amount_field else None,
        occurred_at=moment,
        business_date=local_date(moment, context.organisation.time_zone),
        payload=payload,
    )


def _stranger(context: PushContext, payload: dict[str, Any]) -> str | None:
    """Why the cashier or approver named is not a person of this till's store (of another
    store or organisation, or unknown), or None. People without a store (owners, head office)
    may act in any store of their organisation."""
    named = {field: payload[field] for field in ("cashier_id", "approved_by") if payload.get(field)}
    if not named:
        return None
    found = dict(
        User.objects.filter(
            organisation=context.organisation, uuid__in=set(named.values())
        ).values_list("uuid", "store_id")
    )
    for field, uuid in named.items():
        store_id = found.get(UUID(uuid), -1)
        if store_id == -1:
            return f"{field}: {uuid} is not a person of this organisation."
        if store_id is not None and store_id != context.terminal.store_id:
            return f"{field}: {uuid} works in another store."
    return None


def _user(context: PushContext, *uuids: str | None) -> User | None:
    """The first of these people the organisation knows (the approver, else the cashier)."""
    for uuid in uuids:
        if uuid:
            user = User.objects.filter(organisation=context.organisation, uuid=uuid).first()
            if user is not None:
                return user
    return None


def _sale(context: PushContext, payload: dict[str, Any]) -> Sale:
    sale = (
        Sale.objects.filter(uuid=payload["sale_id"], store_id=context.terminal.store_id)
        .select_related("store", "organisation")
        .first()
    )
    if sale is None:
        raise ApplicationError(
            f"Unknown sale {payload['sale_id']} (receipt {payload['receipt_no']})."
        )
    return sale


def _void(context: PushContext, payload: dict[str, Any]) -> None:
    sale_void(
        sale=_sale(context, payload),
        voided_by=_user(context, payload.get("approved_by"), payload["cashier_id"]),
        reason=payload["reason"],
        voided_at=parse_time(payload["voided_at"]),
    )


def _refund(context: PushContext, payload: dict[str, Any]) -> None:
    sale = _sale(context, payload)
    refund = refund_create(
        sale=sale,
        lines=[
            {
                "line_id": UUID(line["sale_line_id"]),
                "qty": line["qty"],
                "qty_milli": line["qty_milli"],
            }
            for line in payload["lines"]
        ],
        method=payload["method"],
        reason=payload["reason"],
        created_by=_user(context, payload.get("approved_by"), payload["cashier_id"]),
        refund_uuid=UUID(payload["id"]),
        created_at=parse_time(payload["created_at"]),
        refund_no=payload.get("refund_no", ""),
    )
    if refund.amount_cents != payload["total_cents"]:
        # The money already went back; the difference is for a manager to look at.
        notification_notify_store(
            store=sale.store,
            kind="refund_mismatch",
            message=(
                f"Refund on receipt {sale.receipt_no}: the till gave back "
                f"{payload['total_cents'] / 100:.2f}, the cloud's pro-rata amount is "
                f"{refund.amount_cents / 100:.2f}."
            ),
            data={"sale_id": str(sale.uuid), "refund_id": str(refund.uuid)},
        )


def _stock(reason: str, quantity: str) -> Callable[[PushContext, dict[str, Any]], None]:
    def apply(context: PushContext, payload: dict[str, Any]) -> None:
        lines = payload["lines"]
        products = {
            str(product.uuid): product
            for product in Product.objects.filter(
                organisation=context.organisation, uuid__in={line["product_id"] for line in lines}
            )
        }
        unknown = [line["product_id"] for line in lines if line["product_id"] not in products]
        if unknown:
            raise ApplicationError(f"Unknown product {unknown[0]}.")
        stock_movements_record_many(
            store=context.store,
            items=[
                (products[line["product_id"]], line[quantity], UUID(payload["id"]))
                for line in lines
            ],
            reason=reason,
            note=(payload.get("reason") or payload.get("supplier") or "")[:255],
            created_by=_user(context, payload.get("approved_by"), payload["cashier_id"]),
        )

    return apply


def _nothing_more(context: PushContext, payload: dict[str, Any]) -> None:
    """Shifts, cash in/out and drawer openings are their activity row."""


APPLY = {
    "sale.voided": _void,
    "refund.created": _refund,
    "shift.opened": _nothing_more,
    "shift.closed": _nothing_more,
    "cash.moved": _nothing_more,
    "drawer.opened": _nothing_more,
    "stock.adjusted": _stock(MovementReason.ADJUSTMENT, "delta_milli"),
    "goods.received": _stock(MovementReason.PURCHASE_RECEIPT, "qty_milli"),
    "audit.recorded": audit_record,
    "notice.read": notice_read,
}
