"""Sale writes: record a till's sale (idempotently), void it, refund it."""

from __future__ import annotations

import hashlib
import json
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from cloud_api.accounts.models import Organisation, Store, Terminal, User
from cloud_api.catalog.models import PriceHistory, Product
from cloud_api.core.bulk import insert_objects
from cloud_api.core.django_internals import cache_related, remember_children
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.inventory.models import MovementReason
from cloud_api.inventory.services import stock_movements_record, stock_movements_record_many
from cloud_api.payments.models import Payment, PaymentStatus
from cloud_api.payments.services import payment_status_set, payments_record_many
from cloud_api.sales.models import Refund, RefundLine, Sale, SaleLine, SaleStatus
from cloud_api.sales.money import Problems, round_half_up_div, sale_money_problems
from cloud_api.sales.receipts import people_receipt_next
from cloud_api.sales.tax import sale_tax_inconsistencies, sale_tax_problems, tax_due_cents


def local_date(moment: datetime, time_zone: str) -> date:
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def payload_digest(payload: dict[str, Any]) -> str:
    """Fingerprint of a sale, so a retry is told apart from a different sale reusing an id.
    Times count as UTC instants, ids as text (converted as met, not by copying the payload)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=_json_default)
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


def sale_problem(
    *,
    organisation: Organisation,
    payload: dict[str, Any],
    cashiers: dict[UUID, User],
    products: dict[UUID, Product],
) -> ApplicationError | None:
    """Why this sale cannot be stored (amounts, currency, unknown cashier or product, a tax
    inconsistent in itself), or None. A tax that differs from the products' current tax
    classes is ``sale_tax_mismatch``'s finding: the caller decides what it means.

    Pure given the looked-up cashiers and products (with their tax classes), so a batch checks
    many sales with one query per kind."""
    lines, payments = payload["lines"], payload["payments"]
    inclusive = [
        products[line["product_id"]].tax_class.prices_include_tax
        if line["product_id"] in products
        else None
        for line in lines
    ]
    problems = sale_money_problems(
        sale=payload, lines=lines, payments=payments, inclusive=inclusive
    )
    if problems:
        first = next(iter(problems.values()))[0]
        return ApplicationError(f"The sale's amounts do not add up: {first}", fields=problems)
    if payload["currency"] != organisation.currency:
        return ApplicationError(
            f"This organisation sells in {organisation.currency}.",
            fields={"currency": [f"Expected {organisation.currency}."]},
        )
    if payload["cashier_id"] not in cashiers:
        return ApplicationError("Unknown cashier.", fields={"cashier_id": ["Unknown cashier."]})
    unknown = [str(line["product_id"]) for line in lines if line["product_id"] not in products]
    if unknown:
        return ApplicationError(
            f"Unknown product {unknown[0]}.", fields={"lines": [f"Unknown product {unknown[0]}."]}
        )
    line_ids = [line["id"] for line in lines]
    payment_ids = [payment["id"] for payment in payments]
    if len(set(line_ids)) != len(line_ids) or len(set(payment_ids)) != len(payment_ids):
        return ApplicationError("Line and payment ids must be unique within the sale.")
    inconsistent = sale_tax_inconsistencies(
        sale=payload,
        lines=lines,
        tax_classes=[products[line["product_id"]].tax_class for line in lines],
    )
    if inconsistent:
        first = next(iter(inconsistent.values()))[0]
        return ApplicationError(f"The sale's tax is inconsistent: {first}", fields=inconsistent)
    return None


def sale_tax_mismatch(*, payload: dict[str, Any], products: dict[UUID, Product]) -> Problems:
    """Where the sale's tax differs from what its products' current tax classes make (empty
    when it does not). ``products`` holds every product of the sale, with its tax class."""
    lines = payload["lines"]
    return sale_tax_problems(
        lines=lines, tax_classes=[products[line["product_id"]].tax_class for line in lines]
    )


def tax_mismatch_error(problems: Problems) -> ApplicationError:
    first = next(iter(problems.values()))[0]
    return ApplicationError(
        f"The sale's tax does not follow its products' tax classes: {first}", fields=problems
    )


def catalog_prices_at(sales: list[tuple[datetime, list[Product]]]) -> list[dict[int, int]]:
    """The catalog price of each sale's products when it was completed (prices are facts of
    their time: an offline sale made before a price change is not a mismatch).

    The current price answers unless a price changed after the sale; then the price history
    does (one query for all sales). A moment before any history (a wrong till clock) gets
    the current price."""
    answers = [{product.pk: product.price_cents for product in products} for _, products in sales]
    product_ids = {product.pk for _, products in sales for product in products}
    if not product_ids:
        return answers
    earliest = min(moment for moment, _ in sales)
    repriced = set(
        PriceHistory.objects.filter(product_id__in=product_ids, created_at__gt=earliest)
        .values_list("product_id", flat=True)
        .distinct()
    )
    if not repriced:
        return answers  # the usual case: no price changed since the oldest sale
    history: dict[int, list[tuple[datetime, int]]] = {}
    for product_id, when, price in (
        PriceHistory.objects.filter(product_id__in=repriced)
        .order_by("product_id", "created_at", "id")
        .values_list("product_id", "created_at", "price_cents")
    ):
        history.setdefault(product_id, []).append((when, price))
    for (moment, _), prices in zip(sales, answers, strict=True):
        for product_id in prices.keys() & history.keys():
            steps = history[product_id]
            if steps[0][0] > moment:
                continue  # before the product's first price: the till's clock is off
            prices[product_id] = [price for when, price in steps if when <= moment][-1]
    return answers


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
    payload: dict[str, Any],
    digest: str,
    cashier: User,
    products: dict[UUID, Product],
    catalog_prices: dict[int, int],
    terminal: Terminal | None = None,
    recorded_by: User | None = None,
) -> BuiltSale:
    """The rows of one checked sale (``sale_problem`` found nothing); nothing is written."""
    lines = payload["lines"]
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
        receipt_no=payload["receipt_no"],
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
) -> list[list[Payment]]:
    """Write built sales with a handful of multi-row inserts, whatever their number: sales
    (unless already saved), lines, payments (and their history), stock movements (one level
    upsert). Returns each sale's payment rows."""
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
    payload: dict[str, Any],
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
    twin = _stored_twin(payload["id"], digest, store)
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
        _check_ids_unused(lines, payments)
    except ConflictError:
        # The same sale may have been committed by a concurrent retry since the first look.
        twin = _stored_twin(payload["id"], digest, store)
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
        twin = _stored_twin(payload["id"], digest, store)
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
    return sale, True


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
