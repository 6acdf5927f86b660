"""Keep the daily report aggregates in step with the raw sale rows.

``aggregates_apply`` adds (or, for a void, subtracts) sales to the three daily tables with one
upsert per table that increments existing rows, so concurrent pushes to the same store and day
never lose each other's figures (the database adds; nothing is read and written back).
It runs inside the transaction that writes (or voids) the sales: both commit or neither does.

The monthly per-product table is the daily one rolled up to calendar months, written by the
same call with the same signs, so long reports read months instead of days.

``aggregates_rebuild`` recomputes an organisation's tables from the raw rows (the truth);
``aggregates_differences`` compares stored against recomputed without writing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from cloud_api.reporting.models import MONTHLY_CHAIN_STORE as CHAIN
from cloud_api.reporting.models import (
    ChainDailyProductSales,
    DailyPaymentSales,
    DailyProductSales,
    DailyStoreSales,
    MonthlyProductSales,
)
from cloud_api.sales.models import Sale, SaleLine, SaleStatus

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


def _upsert(
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


def aggregates_apply(figures: Iterable[SaleFigures], *, sign: int = 1) -> None:
    """Add (``sign=1``) or take away (``sign=-1``, a void) these sales' figures."""
    stores, products, payments = figures_sums(figures, sign)
    _upsert(DailyStoreSales._meta.db_table, STORE_KEY, STORE_SUMS, stores)
    _upsert(DailyProductSales._meta.db_table, PRODUCT_KEY, PRODUCT_SUMS, products)
    _upsert(MonthlyProductSales._meta.db_table, MONTH_KEY, PRODUCT_SUMS, month_sums(products))
    _upsert(
        ChainDailyProductSales._meta.db_table,
        CHAIN_DAY_KEY,
        PRODUCT_SUMS,
        chain_day_sums(products),
        conflict=CHAIN_DAY_KEY,  # its unique key includes the organisation
    )
    _upsert(DailyPaymentSales._meta.db_table, PAYMENT_KEY, PAYMENT_SUMS, payments)


def sale_figures(sale: Sale) -> SaleFigures:
    """A stored sale's figures, read back from its rows (for a void)."""
    return SaleFigures(
        sale=sale,
        lines=list(sale.lines.all()),
        payments=list(sale.payments.values_list("method", "amount_cents")),
    )


# --- Rebuild and check from the raw tables ---------------------------------------------------


def _completed(organisation_id: int, date_from: date | None, date_to: date | None) -> Q:
    return _in_range(organisation_id, date_from, date_to) & Q(status=SaleStatus.COMPLETED)


def _in_range(organisation_id: int, date_from: date | None, date_to: date | None) -> Q:
    query = Q(organisation_id=organisation_id)
    if date_from is not None:
        query &= Q(business_date__gte=date_from)
    if date_to is not None:
        query &= Q(business_date__lte=date_to)
    return query


def _rows(query: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The rows of a ``values()`` query as plain dicts (their keys are built at run time)."""
    for row in query:
        yield dict(row)


def raw_sums(
    organisation_id: int, date_from: date | None = None, date_to: date | None = None
) -> tuple[Sums, Sums, Sums]:
    """The three tables as the raw sale rows make them (grouped in the database)."""
    from cloud_api.payments.models import Payment

    sales = Sale.objects.filter(_in_range(organisation_id, date_from, date_to))
    stores: Sums = {}
    completed = Q(status=SaleStatus.COMPLETED)
    voided = Q(status=SaleStatus.VOIDED)
    for row in _rows(
        sales.values("store_id", "business_date", "terminal_id", "cashier_id").annotate(
            n=Count("id", filter=completed),
            **{
                f"sum_{name}": Coalesce(Sum(name, filter=completed), 0) for name in STORE_SUMS[1:-2]
            },
            voids=Count("id", filter=voided),
            voided=Coalesce(Sum("total_cents", filter=voided), 0),
        )
    ):
        key: Key = (
            organisation_id,
            row["store_id"],
            row["business_date"],
            row["terminal_id"] or 0,
            row["cashier_id"],
        )
        values = [row["n"], *(int(row[f"sum_{name}"]) for name in STORE_SUMS[1:-2])]
        stores[key] = [*values, row["voids"], int(row["voided"])]
    products: Sums = defaultdict(list)
    lines = SaleLine.objects.filter(
        sale__in=Sale.objects.filter(_completed(organisation_id, date_from, date_to))
    )
    uncosted = Q(cost_cents__isnull=True)
    for row in _rows(
        lines.values("sale__store_id", "sale__business_date", "product_id").annotate(
            lines_count=Count("id"),
            qty=Coalesce(Sum("qty"), 0),
            milli=Coalesce(Sum("qty_milli"), 0),
            discount=Sum("discount_cents"),
            tax=Sum("tax_cents"),
            total=Sum("total_cents"),
            cost=Coalesce(Sum("cost_cents"), 0),
            uncosted_total=Coalesce(Sum("total_cents", filter=uncosted), 0),
            uncosted_tax=Coalesce(Sum("tax_cents", filter=uncosted), 0),
        )
    ):
        key = (
            organisation_id,
            row["sale__store_id"],
            row["sale__business_date"],
            row["product_id"],
        )
        products[key] = [
            row["lines_count"],
            int(row["qty"]) * 1000 + int(row["milli"]),
            int(row["discount"]),
            int(row["tax"]),
            int(row["total"]),
            int(row["cost"]),
            int(row["uncosted_total"]),
            int(row["uncosted_tax"]),
        ]
    payments: Sums = {}
    paid = Payment.objects.filter(
        sale__in=Sale.objects.filter(_completed(organisation_id, date_from, date_to))
    )
    for row in _rows(
        paid.values("sale__store_id", "sale__business_date", "method").annotate(
            n=Count("id"), amount=Sum("amount_cents")
        )
    ):
        key = (organisation_id, row["sale__store_id"], row["sale__business_date"], row["method"])
        payments[key] = [row["n"], int(row["amount"])]
    return stores, dict(products), payments


def stored_sums(
    organisation_id: int, date_from: date | None = None, date_to: date | None = None
) -> tuple[Sums, Sums, Sums]:
    """The three tables as stored (rows that sum to nothing are left out)."""
    result: list[Sums] = []
    for model, key, sums in (
        (DailyStoreSales, STORE_KEY, STORE_SUMS),
        (DailyProductSales, PRODUCT_KEY, PRODUCT_SUMS),
        (DailyPaymentSales, PAYMENT_KEY, PAYMENT_SUMS),
    ):
        rows = _in_days(model.objects.filter(organisation_id=organisation_id), date_from, date_to)
        result.append(_as_sums(rows, key, sums))
    return result[0], result[1], result[2]


def _in_days(rows: QuerySet[Any], date_from: date | None, date_to: date | None) -> QuerySet[Any]:
    if date_from is not None:
        rows = rows.filter(business_date__gte=date_from)
    if date_to is not None:
        rows = rows.filter(business_date__lte=date_to)
    return rows


def _as_sums(rows: QuerySet[Any], key: Sequence[str], sums: Sequence[str]) -> Sums:
    """A table's rows as {key: sums}, leaving out rows that sum to nothing."""
    table: Sums = {}
    for row in rows.values_list(*key, *sums):
        values = [int(value) for value in row[len(key) :]]
        if any(values):
            table[tuple(row[: len(key)])] = values
    return table


def month_span(date_from: date | None, date_to: date | None) -> tuple[date | None, date | None]:
    """The range widened to whole calendar months (the monthly table's unit)."""
    first = date_from.replace(day=1) if date_from is not None else None
    if date_to is None:
        return first, None
    after = (date_to.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, after - timedelta(days=1)


def stored_months(
    organisation_id: int, date_from: date | None = None, date_to: date | None = None
) -> Sums:
    """The monthly table as stored, for the months that meet the range."""
    rows = MonthlyProductSales.objects.filter(organisation_id=organisation_id)
    first, last = month_span(date_from, date_to)
    if first is not None:
        rows = rows.filter(month__gte=first)
    if last is not None:
        rows = rows.filter(month__lte=last)
    return _as_sums(rows, MONTH_KEY, PRODUCT_SUMS)


def stored_chain_days(
    organisation_id: int, date_from: date | None = None, date_to: date | None = None
) -> Sums:
    """The chain-wide daily table as stored, in the range."""
    rows = ChainDailyProductSales.objects.filter(organisation_id=organisation_id)
    return _as_sums(_in_days(rows, date_from, date_to), CHAIN_DAY_KEY, PRODUCT_SUMS)


def raw_months(
    organisation_id: int, date_from: date | None = None, date_to: date | None = None
) -> Sums:
    """The monthly table as the raw sale rows make it, for the months that meet the range."""
    _, products, _ = raw_sums(organisation_id, *month_span(date_from, date_to))
    return {key: values for key, values in month_sums(products).items() if any(values)}


@dataclass
class Difference:
    table: str
    key: Key
    stored: list[int] | None
    expected: list[int] | None


def aggregates_differences(
    organisation_id: int, date_from: date | None = None, date_to: date | None = None
) -> list[Difference]:
    """Every aggregate row that differs from what the raw rows make (empty: all agree); the
    monthly rows of every month that meets the range are checked whole."""
    differences = []
    names = (
        "daily store sales",
        "daily product sales",
        "daily payment sales",
        "chain daily product sales",
        "monthly product sales",
    )
    raw = raw_sums(organisation_id, date_from, date_to)
    stored = (
        *stored_sums(organisation_id, date_from, date_to),
        stored_chain_days(organisation_id, date_from, date_to),
        stored_months(organisation_id, date_from, date_to),
    )
    expected = (
        *raw,
        {key: values for key, values in chain_day_sums(raw[1]).items() if any(values)},
        raw_months(organisation_id, date_from, date_to),
    )
    for name, have, want in zip(names, stored, expected, strict=True):
        for key in sorted(set(have) | set(want), key=lambda k: tuple(str(p) for p in k)):
            if have.get(key) != want.get(key):
                differences.append(Difference(name, key, have.get(key), want.get(key)))
    return differences


@transaction.atomic
def aggregates_rebuild(
    organisation_id: int, date_from: date | None = None, date_to: date | None = None
) -> None:
    """Replace an organisation's aggregates (in a date range, or all) by the raw rows' sums;
    the monthly rows of every month that meets the range are rebuilt whole."""
    for model in (DailyStoreSales, DailyProductSales, DailyPaymentSales, ChainDailyProductSales):
        rows = model.objects.filter(organisation_id=organisation_id)
        if date_from is not None:
            rows = rows.filter(business_date__gte=date_from)
        if date_to is not None:
            rows = rows.filter(business_date__lte=date_to)
        rows.delete()
    stores, products, payments = raw_sums(organisation_id, date_from, date_to)
    _upsert(DailyStoreSales._meta.db_table, STORE_KEY, STORE_SUMS, stores)
    _upsert(DailyProductSales._meta.db_table, PRODUCT_KEY, PRODUCT_SUMS, products)
    _upsert(DailyPaymentSales._meta.db_table, PAYMENT_KEY, PAYMENT_SUMS, payments)
    _upsert(
        ChainDailyProductSales._meta.db_table,
        CHAIN_DAY_KEY,
        PRODUCT_SUMS,
        chain_day_sums(products),
        conflict=CHAIN_DAY_KEY,  # its unique key includes the organisation
    )
    months = MonthlyProductSales.objects.filter(organisation_id=organisation_id)
    first, last = month_span(date_from, date_to)
    if first is not None:
        months = months.filter(month__gte=first)
    if last is not None:
        months = months.filter(month__lte=last)
    months.delete()
    _upsert(
        MonthlyProductSales._meta.db_table,
        MONTH_KEY,
        PRODUCT_SUMS,
        raw_months(organisation_id, date_from, date_to),
    )
