"""Keep the daily report aggregates in step with the raw sale rows.

``aggregates_apply`` adds (or, for a void, subtracts) sales to the three daily tables with one
upsert per table that increments existing rows, so concurrent pushes to the same store and day
never lose each other's figures (the database adds; nothing is read and written back).
It runs inside the transaction that writes (or voids) the sales: both commit or neither does.

The chain-wide tables (the store table summed over all stores per day; the product table
per day over all stores and per calendar month) are written by the same call with the same
signs, so long or all-store reports read a few rows instead of every store's days. A push
writes them once, at the end of its transaction (``SharedRows``): every store's pushes add to
them, so they stay locked for the shortest time before each commit.

``rebuild.py`` recomputes an organisation's tables from the raw rows (the truth) and compares
stored against recomputed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from cloud_api.reporting.models import MONTHLY_CHAIN_STORE as CHAIN
from cloud_api.reporting.models import (
    ChainDailyProductSales,
    ChainDailySales,
    DailyPaymentSales,
    DailyProductSales,
    DailyStoreSales,
    MonthlyProductSales,
)
from cloud_api.sales.models import Sale, SaleLine

STORE_SUMS = (
    "sales_count",
    "items_count",
    "subtotal_cents",
    "discount_cents",
    "tax_cents",
    "total_cents",
    "change_cents",
    "rounding_cents",
    "voided_count",
    "voided_cents",
)
PRODUCT_SUMS = (
    "lines_count",
    "qty_milli",
    "discount_cents",
    "tax_cents",
    "total_cents",
    "cost_cents",
    "uncosted_total_cents",
    "uncosted_tax_cents",
)
PAYMENT_SUMS = ("payments_count", "amount_cents")
STORE_KEY = ("organisation_id", "store_id", "business_date", "terminal_id", "cashier_id")
PRODUCT_KEY = ("organisation_id", "store_id", "business_date", "product_id")
PAYMENT_KEY = ("organisation_id", "store_id", "business_date", "method")
MONTH_KEY = ("organisation_id", "store_id", "month", "product_id")
CHAIN_DAY_KEY = ("organisation_id", "business_date", "product_id")
CHAIN_SALES_KEY = ("organisation_id", "business_date")

Key = tuple[Any, ...]
Sums = dict[Key, list[int]]


@dataclass
class SaleFigures:
    """What one sale adds to the aggregates: the header, its lines, its tenders."""

    sale: Sale
    lines: Sequence[SaleLine]
    payments: Sequence[tuple[str, int]]  # (method, amount_cents)


def _add(table: Sums, key: Key, values: Iterable[int], sign: int) -> None:
    row = table.get(key)
    values = [sign * value for value in values]
    if row is None:
        table[key] = values
    else:
        table[key] = [a + b for a, b in zip(row, values, strict=True)]


def _line_values(line: SaleLine) -> list[int]:
    uncosted = line.cost_cents is None
    return [
        1,
        line.quantity_milli,
        line.discount_cents,
        line.tax_cents,
        line.total_cents,
        line.cost_cents or 0,
        line.total_cents if uncosted else 0,
        line.tax_cents if uncosted else 0,
    ]


def figures_sums(figures: Iterable[SaleFigures], sign: int = 1) -> tuple[Sums, Sums, Sums]:
    """The three tables' increments for these sales, keyed like the tables' unique keys."""
    stores: Sums = {}
    products: Sums = {}
    payments: Sums = {}
    for item in figures:
        sale = item.sale
        day = (sale.organisation_id, sale.store_id, sale.business_date)
        # A void (sign -1) takes the sale out of the sums and counts it among the voided.
        voided = [-1, -sale.total_cents] if sign < 0 else [0, 0]
        _add(
            stores,
            (*day, sale.terminal_id or 0, sale.cashier_id),
            [
                1,
                sale.items_count,
                sale.subtotal_cents,
                sale.discount_cents,
                sale.tax_cents,
                sale.total_cents,
                sale.change_cents,
                sale.rounding_cents,
                *voided,
            ],
            sign,
        )
        for line in item.lines:
            _add(products, (*day, line.product_id), _line_values(line), sign)
        for method, amount in item.payments:
            _add(payments, (*day, method), [1, amount], sign)
    return stores, products, payments


def upsert(
    table: str,
    key: Sequence[str],
    sums: Sequence[str],
    rows: Sums,
    conflict: Sequence[str] | None = None,
) -> None:
    """Add ``rows`` to the sums of ``table``. ``conflict`` is the table's unique key (SQLite
    and PostgreSQL name it in ON CONFLICT): the key without the organisation unless given."""
    if not rows:
        return
    columns = [*key, *sums]
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    if connection.vendor == "mysql":
        update = ", ".join(f"{quote(c)} = {quote(c)} + VALUES({quote(c)})" for c in sums)
        tail = f"ON DUPLICATE KEY UPDATE {update}"
    else:
        target = ", ".join(quote(column) for column in (conflict or key[1:]))
        update = ", ".join(f"{quote(c)} = {quote(c)} + excluded.{quote(c)}" for c in sums)
        tail = f"ON CONFLICT ({target}) DO UPDATE SET {update}"
    # Sorted keys: concurrent upserts lock rows in the same order, so they never deadlock.
    ordered = sorted(rows.items(), key=lambda item: tuple(str(part) for part in item[0]))
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            cursor.execute(
                f"INSERT INTO {quote(table)} ({names}) VALUES "
                + ", ".join([placeholders] * len(chunk))
                + f" {tail}",
                [value for key_values, sum_values in chunk for value in (*key_values, *sum_values)],
            )


def month_sums(products: Sums) -> Sums:
    """Daily product sums rolled up to calendar months (keys ``MONTH_KEY``), per store and
    over all the organisation's stores (store id ``CHAIN``: a product belongs to one
    organisation, so its chain rows never mix organisations)."""
    months: Sums = {}
    for (organisation_id, store_id, day, product_id), values in products.items():
        month = day.replace(day=1)
        _add(months, (organisation_id, store_id, month, product_id), values, 1)
        _add(months, (organisation_id, CHAIN, month, product_id), values, 1)
    return months


def chain_day_sums(products: Sums) -> Sums:
    """Daily product sums over all stores (keys ``CHAIN_DAY_KEY``)."""
    days: Sums = {}
    for (organisation_id, _store_id, day, product_id), values in products.items():
        _add(days, (organisation_id, day, product_id), values, 1)
    return days


def chain_sales_sums(stores: Sums) -> Sums:
    """Daily store sums over all stores, tills and cashiers (keys ``CHAIN_SALES_KEY``)."""
    days: Sums = {}
    for (organisation_id, _store_id, day, _terminal_id, _cashier_id), values in stores.items():
        _add(days, (organisation_id, day), values, 1)
    return days


def chain_upserts(stores: Sums, products: Sums) -> None:
    """Add the chain-wide rows of these store and product sums. Their unique keys include the
    organisation, so it is named in ON CONFLICT."""
    upsert(
        ChainDailyProductSales._meta.db_table,
        CHAIN_DAY_KEY,
        PRODUCT_SUMS,
        chain_day_sums(products),
        conflict=CHAIN_DAY_KEY,
    )
    upsert(
        ChainDailySales._meta.db_table,
        CHAIN_SALES_KEY,
        STORE_SUMS,
        chain_sales_sums(stores),
        conflict=CHAIN_SALES_KEY,
    )


def _shared_upserts(stores: Sums, products: Sums) -> None:
    """The rows every store of the organisation adds to: the chain-wide monthly product rows
    (store id ``CHAIN``), then the chain-wide daily product and sales rows."""
    months = {key: values for key, values in month_sums(products).items() if key[1] == CHAIN}
    upsert(MonthlyProductSales._meta.db_table, MONTH_KEY, PRODUCT_SUMS, months)
    chain_upserts(stores, products)


@dataclass
class SharedRows:
    """Store and product sums whose chain-wide rows are still to be written. A push gathers
    its sales' here and writes them at the end of its transaction: every store's pushes add
    to those rows, so each push then holds their locks from its last write to its commit
    only, not across the stock, sync-event and alert writes that follow its sales."""

    stores: Sums = field(default_factory=dict)
    products: Sums = field(default_factory=dict)

    def add(self, stores: Sums, products: Sums) -> None:
        for table, sums in ((self.stores, stores), (self.products, products)):
            for key, values in sums.items():
                _add(table, key, values, 1)

    def write(self) -> None:
        _shared_upserts(self.stores, self.products)
        self.stores, self.products = {}, {}


def aggregates_apply(
    figures: Iterable[SaleFigures], *, sign: int = 1, shared_later: SharedRows | None = None
) -> None:
    """Add (``sign=1``) or take away (``sign=-1``, a void) these sales' figures; the
    chain-wide rows' share goes to ``shared_later`` instead when given (its owner writes it
    in the same transaction)."""
    stores, products, payments = figures_sums(figures, sign)
    upsert(DailyStoreSales._meta.db_table, STORE_KEY, STORE_SUMS, stores)
    upsert(DailyProductSales._meta.db_table, PRODUCT_KEY, PRODUCT_SUMS, products)
    months = {key: values for key, values in month_sums(products).items() if key[1] != CHAIN}
    upsert(MonthlyProductSales._meta.db_table, MONTH_KEY, PRODUCT_SUMS, months)
    upsert(DailyPaymentSales._meta.db_table, PAYMENT_KEY, PAYMENT_SUMS, payments)
    # The shared rows last, in every path: a transaction locks its store's rows before them,
    # so two never wait for each other in opposite orders.
    if shared_later is None:
        _shared_upserts(stores, products)
    else:
        shared_later.add(stores, products)


def sale_figures(sale: Sale) -> SaleFigures:
    """A stored sale's figures, read back from its rows (for a void)."""
    return SaleFigures(
        sale=sale,
        lines=list(sale.lines.all()),
        payments=list(sale.payments.values_list("method", "amount_cents")),
    )
