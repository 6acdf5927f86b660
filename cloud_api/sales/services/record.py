"""Record a completed sale: one typed in now (``sale_record``), or many pushed by tills, built
in memory (``sale_build``) and written together (``sales_write``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction

from cloud_api.accounts.models import Organisation, Store, Terminal, User
from cloud_api.analytics.insights_tasks import insights_refresh_soon
from cloud_api.catalog.models import Product
from cloud_api.core.bulk import insert_objects
from cloud_api.core.django_internals import cache_related, remember_children
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.inventory.models import MovementReason
from cloud_api.inventory.services import stock_movements_record_many
from cloud_api.payments.models import Payment
from cloud_api.payments.services import payments_record_many
from cloud_api.reporting.services import SaleFigures, SharedRows, aggregates_apply
from cloud_api.sales.dates import local_date
from cloud_api.sales.models import Sale, SaleLine
from cloud_api.sales.money import Problems, round_half_up_div
from cloud_api.sales.payloads import SalePayload
from cloud_api.sales.receipts import people_receipt_next
from cloud_api.sales.selectors import catalog_prices_at
from cloud_api.sales.services.checks import (
    check_ids_unused_elsewhere,
    payload_digest,
    sale_problem,
    sale_tax_mismatch,
    stored_twin,
    tax_mismatch_error,
)
from cloud_api.sales.tax import tax_due_cents


def line_cost_cents(product: Product, quantity_milli: int) -> int | None:
    """The cost of this quantity at the product's cost price now (None: no cost price)."""
    if product.cost_price_cents is None:
        return None
    return round_half_up_div(product.cost_price_cents * quantity_milli, 1000)


@dataclass
class BuiltSale:
    """A sale's rows, built in memory and written together with others by ``sales_write``."""

    sale: Sale
    lines: list[SaleLine]
    payments: list[dict[str, Any]]
    mismatched: list[SaleLine] = field(default_factory=list)
    # Where the tax differs from the products' current tax classes (``sale_tax_mismatch``),
    # and the tax those classes make.
    tax_problems: Problems = field(default_factory=dict)
    tax_due_cents: int = 0


def sale_build(
    *,
    organisation: Organisation,
    store: Store,
    payload: SalePayload,
    digest: str,
    cashier: User,
    products: dict[UUID, Product],
    catalog_prices: dict[int, int],
    terminal: Terminal | None = None,
    recorded_by: User | None = None,
) -> BuiltSale:
    """The rows of one checked sale (``sale_problem`` found nothing); nothing is written."""
    lines, receipt_no = payload["lines"], payload["receipt_no"]
    if receipt_no is None:
        raise ValueError("A sale gets its receipt number before it is built.")
    # Foreign keys as ids plus the related objects cached (what ``organisation=...`` does,
    # without the descriptor's router checks, which cost more than the rest of the row).
    sale = Sale(
        uuid=payload["id"],
        organisation_id=organisation.pk,
        store_id=store.pk,
        terminal_id=terminal.pk if terminal is not None else None,
        cashier_id=cashier.pk,
        recorded_by_id=recorded_by.pk if recorded_by is not None else None,
        shift_id=payload.get("shift_id"),
        receipt_no=receipt_no,
        completed_at=payload["completed_at"],
        business_date=local_date(payload["completed_at"], organisation.time_zone),
        currency=payload["currency"],
        subtotal_cents=payload["subtotal_cents"],
        discount_cents=payload["discount_cents"],
        tax_cents=payload["tax_cents"],
        total_cents=payload["total_cents"],
        change_cents=payload["change_cents"],
        rounding_cents=payload.get("rounding_cents") or 0,
        items_count=sum(line["qty"] if line["qty"] is not None else 1 for line in lines),
        payload_sha256=digest,
    )
    cache_related(
        sale,
        organisation=organisation,
        store=store,
        terminal=terminal,
        cashier=cashier,
        recorded_by=recorded_by,
    )
    sale_lines = []
    for index, line in enumerate(lines):
        product = products[line["product_id"]]
        sale_line = SaleLine(
            uuid=line["id"],
            sale_id=sale.pk,
            line_no=index + 1,
            product_id=product.pk,
            barcode=line.get("barcode"),
            name=line["name"],
            qty=line["qty"],
            qty_milli=line["qty_milli"],
            unit_price_cents=line["unit_price_cents"],
            discount_cents=line["discount_cents"],
            tax_cents=line["tax_cents"],
            total_cents=line["total_cents"],
            catalog_price_cents=catalog_prices[product.pk],
        )
        sale_line.cost_cents = line_cost_cents(product, sale_line.quantity_milli)
        cache_related(sale_line, sale=sale, product=product)
        sale_lines.append(sale_line)
    mismatched = [line for line in sale_lines if line.unit_price_cents != line.catalog_price_cents]
    sale.price_mismatch = bool(mismatched)
    tax_problems = sale_tax_mismatch(payload=payload, products=products)
    sale.tax_mismatch = bool(tax_problems)
    due = sale.tax_cents
    if tax_problems:
        due = tax_due_cents(lines, [products[line["product_id"]].tax_class for line in lines])
    payments = [
        {
            "uuid": payment["id"],
            "method": payment["method"],
            "amount_cents": payment["amount_cents"],
            "reference": payment.get("reference"),
        }
        for payment in payload["payments"]
    ]
    return BuiltSale(
        sale=sale,
        lines=sale_lines,
        payments=payments,
        mismatched=mismatched,
        tax_problems=tax_problems,
        tax_due_cents=due,
    )


@transaction.atomic(savepoint=False)
def sales_write(
    *,
    store: Store,
    built: list[BuiltSale],
    recorded_by: User | None = None,
    notify_oversell: bool = False,
    sales_saved: bool = False,
    shared_later: SharedRows | None = None,
) -> list[list[Payment]]:
    """Write built sales with a handful of multi-row inserts, whatever their number: sales
    (unless already saved), lines, payments (and their history), stock movements (one level
    upsert), report aggregates (the chain-wide ones into ``shared_later`` when given).
    Returns each sale's payment rows."""
    if not built:
        return []
    if not sales_saved:
        insert_objects(Sale, [item.sale for item in built])
    for item in built:
        for line in item.lines:
            line.sale_id = item.sale.pk  # the sale's pk exists now
            cache_related(line, sale=item.sale)
    # Nothing refers to a line in this transaction: its key is not looked up.
    insert_objects(SaleLine, [line for item in built for line in item.lines], keys=False)
    payment_rows = payments_record_many(
        sales_payments=[(item.sale, item.payments) for item in built], recorded_by=recorded_by
    )
    aggregates_apply(
        [
            SaleFigures(
                sale=item.sale,
                lines=item.lines,
                payments=[(pay["method"], pay["amount_cents"]) for pay in item.payments],
            )
            for item in built
        ],
        shared_later=shared_later,
    )
    stock_movements_record_many(
        store=store,
        items=[
            (line.product, -line.quantity_milli, item.sale.uuid)
            for item in built
            for line in item.lines
        ],
        reason=MovementReason.SALE,
        created_by=recorded_by,
        notify_oversell=notify_oversell,
        returning=False,
    )
    return payment_rows


@transaction.atomic
def sale_record(
    *,
    organisation: Organisation,
    store: Store,
    payload: SalePayload,
    terminal: Terminal | None = None,
    recorded_by: User | None = None,
    cashier_must_be: User | None = None,
) -> tuple[Sale, bool]:
    """Store a completed sale in the ``sale.completed`` shape; returns (sale, created).

    A ``receipt_no`` of None (a sale entered by a person) gets the store's next number of
    the people's series; the fingerprint is taken before, so a retry is still a twin.

    The same sale sent twice is a duplicate (returned, not stored again); the same id with a
    different content is a conflict. Prices are kept as charged; a difference from the catalog
    only raises ``price_mismatch``. A tax that is not what the products' tax classes make is
    refused: this is the path of a sale typed in now, when the current classes are the ones
    that apply (a till's pushed sale is kept and flagged instead, ``apply_sales``). Stock
    always moves, even below zero.
    """
    digest = payload_digest(payload)
    twin = stored_twin(payload["id"], digest, store)
    if twin is not None:
        return twin, False
    lines, payments = payload["lines"], payload["payments"]
    cashiers = {
        user.uuid: user
        for user in User.objects.filter(uuid=payload["cashier_id"], organisation=organisation)
    }
    products = {
        product.uuid: product
        for product in Product.objects.filter(
            organisation=organisation, uuid__in={line["product_id"] for line in lines}
        ).select_related("tax_class")
    }
    problem = sale_problem(
        organisation=organisation, payload=payload, cashiers=cashiers, products=products
    )
    if problem is not None:
        raise problem
    tax_problems = sale_tax_mismatch(payload=payload, products=products)
    if tax_problems:
        raise tax_mismatch_error(tax_problems)
    cashier = cashiers[payload["cashier_id"]]
    if cashier_must_be is not None and cashier.pk != cashier_must_be.pk:
        raise ApplicationError(
            "A cashier records only their own sales.",
            fields={"cashier_id": ["Must be your own id."]},
        )
    if payload["receipt_no"] is None:
        payload = {**payload, "receipt_no": people_receipt_next(store)}
    try:
        if Sale.objects.filter(store=store, receipt_no=payload["receipt_no"]).exists():
            raise ConflictError(
                "Another sale of this store has this receipt number.",
                fields={"receipt_no": ["Already used."]},
            )
        check_ids_unused_elsewhere(lines, payments)
    except ConflictError:
        # The same sale may have been committed by a concurrent retry since the first look.
        twin = stored_twin(payload["id"], digest, store)
        if twin is not None:
            return twin, False
        raise

    [prices] = catalog_prices_at([(payload["completed_at"], list(products.values()))])
    built = sale_build(
        organisation=organisation,
        store=store,
        payload=payload,
        digest=digest,
        cashier=cashier,
        products=products,
        catalog_prices=prices,
        terminal=terminal,
        recorded_by=recorded_by,
    )
    sale = built.sale
    try:
        with transaction.atomic():  # savepoint: the same sale may be arriving twice at once
            sale.save(force_insert=True)
    except IntegrityError:
        twin = stored_twin(payload["id"], digest, store)
        if twin is not None:
            return twin, False
        raise ConflictError(
            "A different sale with this id or receipt number already exists.",
            fields={"id": ["Already used."]},
        ) from None
    [payment_rows] = sales_write(
        store=store, built=[built], recorded_by=recorded_by, sales_saved=True
    )
    remember_children(sale, lines=built.lines, payments=payment_rows)
    insights_refresh_soon(store.pk)
    return sale, True
