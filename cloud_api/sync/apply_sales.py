"""Pushed ``sale.completed`` events, many at a time.

A per-event savepoint with an ORM save per row caps a push near 60 sales/s (see docs/cloud.md);
here a run of sales costs a fixed handful of queries: one lookup each for cashiers, products,
ids already used, receipt numbers already used; then ``sales_write`` (one multi-row insert per
table, one stock upsert for every product of the run). The rules are the REST path's own
(``sale_problem``, ``sale_build``), so a sale means the same whichever way it arrives. If the
bulk insert still fails (a race on a receipt number...), each sale is retried alone in its own
savepoint, so one bad sale never takes the others down.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import DatabaseError, IntegrityError, OperationalError, transaction

from cloud_api.accounts.models import Store, User
from cloud_api.analytics.insights_tasks import insights_refresh_soon
from cloud_api.catalog.models import Product
from cloud_api.core.django_internals import mark_unsaved
from cloud_api.core.errors import MYSQL_BUSY, database_problem
from cloud_api.customers.services import customers_from_sales
from cloud_api.notifications.services import notifications_notify_store
from cloud_api.reporting.services import SharedRows
from cloud_api.sales.models import Sale
from cloud_api.sales.payloads import SalePayload
from cloud_api.sales.receipts import terminal_receipt_problem
from cloud_api.sales.services import (
    BuiltSale,
    catalog_prices_at,
    payload_digest,
    sale_build,
    sale_problem,
    sales_write,
)
from cloud_api.sales.tax import money_text
from cloud_api.sync.push_status import APPLIED, DUPLICATE, REJECTED
from cloud_api.sync.validation import sale_from_wire

if TYPE_CHECKING:
    from cloud_api.sync.push_batch import Incoming, PushContext

log = logging.getLogger(__name__)
# A tax mismatch notification names at most this many of the sale's findings (a sale may have
# a thousand lines; the first few say what happened).
MISMATCH_DETAILS = 10


def apply_sales(context: PushContext, items: list[Incoming]) -> None:
    """Apply checked, new ``sale.completed`` events (in seq order); answer each."""
    if not items:
        return
    organisation, store = context.organisation, context.store
    sales: dict[int, SalePayload] = {}
    for item in items:
        try:
            sales[item.index] = sale_from_wire(item.payload)
        except ValueError as exc:
            item.answer(REJECTED, f"invalid: {exc}")
    items = [item for item in items if item.status is None]
    if not items:
        return
    payloads = [sales[item.index] for item in items]
    cashiers = {
        user.uuid: user
        for user in User.objects.filter(
            organisation=organisation, uuid__in={sale["cashier_id"] for sale in payloads}
        )
    }
    products = {
        product.uuid: product
        for product in Product.objects.filter(
            organisation=organisation,
            uuid__in={line["product_id"] for sale in payloads for line in sale["lines"]},
        ).select_related("tax_class")
    }
    taken = _ids_taken(store, payloads)
    accepted: list[tuple[Incoming, SalePayload, str]] = []
    for item, sale in zip(items, payloads, strict=True):
        digest = payload_digest(sale)
        not_ours = terminal_receipt_problem(
            terminal=context.terminal, receipt_no=sale["receipt_no"]
        )
        if not_ours is not None:
            item.answer(REJECTED, not_ours)
            continue
        problem = sale_problem(
            organisation=organisation, payload=sale, cashiers=cashiers, products=products
        )
        if problem is not None:
            item.answer(REJECTED, problem.message)
            continue
        stored = taken.sales.get(sale["id"])
        if stored is not None:
            # Already here (sent through POST /sales/, or under another event id).
            if stored == (digest, store.pk):
                item.answer(DUPLICATE)
            else:
                item.answer(REJECTED, "A different sale with this id already exists.")
            continue
        clash = _clash(taken, store.pk, sale)
        if clash:
            item.answer(REJECTED, clash)
            continue
        taken.claim(store.pk, sale)
        accepted.append((item, sale, digest))
    if not accepted:
        return
    prices = catalog_prices_at(
        [
            (sale["completed_at"], [products[line["product_id"]] for line in sale["lines"]])
            for _, sale, _ in accepted
        ]
    )
    built = [
        sale_build(
            organisation=organisation,
            store=store,
            payload=sale,
            digest=digest,
            cashier=cashiers[sale["cashier_id"]],
            products=products,
            catalog_prices=catalog_prices,
            terminal=context.terminal,
        )
        for (_, sale, digest), catalog_prices in zip(accepted, prices, strict=True)
    ]
    _write(context, [item for item, _, _ in accepted], built)
    applied = [
        one for one, (item, _, _) in zip(built, accepted, strict=True) if item.status == APPLIED
    ]
    if applied:
        insights_refresh_soon(store.pk)
    _notify_price_mismatches(context, applied)
    _notify_tax_mismatches(context, applied)
    with_customer = [
        (sale["id"], customer)
        for item, sale, _ in accepted
        if item.status == APPLIED and (customer := sale.get("customer"))
    ]
    if with_customer:
        customers_from_sales(store=context.store, sales=with_customer)


def _write(context: PushContext, items: list[Incoming], built: list[BuiltSale]) -> None:
    # The chain-wide sums join the push's only once their savepoint has held.
    shared = SharedRows()
    try:
        with transaction.atomic():
            sales_write(store=context.store, built=built, notify_oversell=True, shared_later=shared)
    except OperationalError as exc:
        if exc.args and exc.args[0] in MYSQL_BUSY:
            raise  # a deadlock ends the whole transaction: the batch is run again
        _write_one_by_one(context, items, built, exc)
    except IntegrityError as exc:
        if not context.last_attempt:
            # Most likely the same batch committed by a concurrent request (a till retrying
            # after a timeout): run the batch again, which then answers "duplicate".
            raise
        _write_one_by_one(context, items, built, exc)
    except DatabaseError as exc:
        _write_one_by_one(context, items, built, exc)
    else:
        context.shared_rows.add(shared.stores, shared.products)
        for item in items:
            item.answer(APPLIED)


def _write_one_by_one(
    context: PushContext, items: list[Incoming], built: list[BuiltSale], cause: Exception
) -> None:
    log.warning("bulk sale insert failed (%s); applying %d sales one by one", cause, len(items))
    for item, one in zip(items, built, strict=True):
        _unsaved(one)
        shared = SharedRows()
        try:
            with transaction.atomic():
                sales_write(
                    store=context.store, built=[one], notify_oversell=True, shared_later=shared
                )
        except OperationalError as exc:
            if exc.args and exc.args[0] in MYSQL_BUSY:
                raise
            item.answer(REJECTED, database_problem(exc, "sale"))
        except IntegrityError as exc:
            sale = one.sale
            twin = Sale.objects.filter(
                uuid=sale.uuid, store_id=sale.store_id, payload_sha256=sale.payload_sha256
            )
            if twin.exists():
                item.answer(DUPLICATE)
            else:
                item.answer(REJECTED, database_problem(exc, "sale"))
        except DatabaseError as exc:
            item.answer(REJECTED, database_problem(exc, "sale"))
        else:
            context.shared_rows.add(shared.stores, shared.products)
            item.answer(APPLIED)


def _unsaved(built: BuiltSale) -> None:
    """Rows of a rolled-back bulk insert may hold primary keys that do not exist."""
    mark_unsaved(built.sale)
    for line in built.lines:
        mark_unsaved(line)


class _Taken:
    """Sale ids and receipt numbers already used (in the database or earlier in this batch),
    line and payment ids used earlier in this batch."""

    def __init__(self) -> None:
        self.sales: dict[UUID, tuple[str, int]] = {}
        self.receipts: set[tuple[int, str | None]] = set()  # a till's sale always has one
        self.lines: set[UUID] = set()
        self.payments: set[UUID] = set()

    def claim(self, store_id: int, sale: SalePayload) -> None:
        self.sales[sale["id"]] = ("", -1)  # a second copy in the batch is a clash, not a twin
        self.receipts.add((store_id, sale["receipt_no"]))
        self.lines.update(line["id"] for line in sale["lines"])
        self.payments.update(payment["id"] for payment in sale["payments"])


def _ids_taken(store: Store, payloads: list[SalePayload]) -> _Taken:
    taken = _Taken()
    for uuid, digest, store_id in Sale.objects.filter(
        uuid__in=[sale["id"] for sale in payloads]
    ).values_list("uuid", "payload_sha256", "store_id"):
        taken.sales[uuid] = (digest, store_id)
    taken.receipts = {
        (store.pk, receipt)
        for receipt in Sale.objects.filter(
            store=store, receipt_no__in={sale["receipt_no"] for sale in payloads}
        ).values_list("receipt_no", flat=True)
    }
    # Line and payment ids reused by an older sale are left to the unique indexes (the bulk
    # insert fails, and the sales are retried one by one): a rare fault not worth two
    # 2,000-id look-ups on every push. Repeats within the batch are caught by ``claim``.
    return taken


def _clash(taken: _Taken, store_id: int, sale: SalePayload) -> str | None:
    if (store_id, sale["receipt_no"]) in taken.receipts:
        return f"Another sale of this store has receipt number {sale['receipt_no']}."
    if any(line["id"] in taken.lines for line in sale["lines"]):
        return "A line id of this sale is already used by another sale."
    if any(payment["id"] in taken.payments for payment in sale["payments"]):
        return "A payment id of this sale is already used by another sale."
    return None


def _notify_price_mismatches(context: PushContext, built: list[BuiltSale]) -> None:
    """Prices are facts: the sale keeps what the till charged; a manager hears about it."""
    messages = []
    for item in built:
        for line in item.mismatched:
            messages.append(
                (
                    "price_mismatch",
                    f"Receipt {item.sale.receipt_no}: {line.name} was sold at "
                    f"{line.unit_price_cents / 100:.2f} while the catalog said "
                    f"{(line.catalog_price_cents or 0) / 100:.2f}.",
                    {
                        "sale_id": str(item.sale.uuid),
                        "product_id": str(line.product.uuid),
                        "unit_price_cents": line.unit_price_cents,
                        "catalog_price_cents": line.catalog_price_cents,
                    },
                )
            )
    notifications_notify_store(store=context.store, messages=messages)


def _notify_tax_mismatches(context: PushContext, built: list[BuiltSale]) -> None:
    """Taxes are facts of the sale's time too: a sale whose VAT is not what the current tax
    classes make (a class or rate changed while the till was offline, or a till is wrong) is
    kept as made and flagged; one notification per sale tells the managers and owner."""
    messages = []
    for item in built:
        if not item.tax_problems:
            continue
        sale = item.sale
        due = item.tax_due_cents
        charged = (
            f"VAT {money_text(sale.tax_cents)} was charged where the current tax classes make "
            f"{money_text(due)}"
            if due != sale.tax_cents
            else "the VAT of its lines does not follow the current tax classes"
        )
        messages.append(
            (
                "tax_mismatch",
                f"Receipt {sale.receipt_no}: {charged}. The sale is kept as the till recorded "
                "it: check whether a product's tax class or a VAT rate changed while the till "
                "was offline.",
                {
                    "sale_id": str(sale.uuid),
                    "receipt_no": sale.receipt_no,
                    "tax_cents": sale.tax_cents,
                    "expected_tax_cents": due,
                    "problems": dict(list(item.tax_problems.items())[:MISMATCH_DETAILS]),
                },
            )
        )
    notifications_notify_store(store=context.store, messages=messages)
