"""Rebuild and check the report aggregates from the raw sale rows (the truth).

``aggregates_rebuild`` recomputes an organisation's tables (in a date range, or all) from the
raw rows; ``aggregates_differences`` compares stored against recomputed without writing. The
chain-wide and monthly tables are derived from the recomputed daily sums with the same
functions ``aggregates_apply`` uses, so a push and a rebuild cannot disagree on their shape.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from cloud_api.reporting.aggregates import (
    CHAIN_DAY_KEY,
    CHAIN_SALES_KEY,
    MONTH_KEY,
    PAYMENT_KEY,
    PAYMENT_SUMS,
    PRODUCT_KEY,
    PRODUCT_SUMS,
    STORE_KEY,
    STORE_SUMS,
    Key,
    Sums,
    chain_day_sums,
    chain_sales_sums,
    chain_upserts,
    month_sums,
    upsert,
)
from cloud_api.reporting.models import (
    ChainDailyProductSales,
    ChainDailySales,
    DailyPaymentSales,
    DailyProductSales,
    DailyStoreSales,
    MonthlyProductSales,
)
from cloud_api.sales.models import Sale, SaleLine, SaleStatus

M = TypeVar("M", bound=Model)


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


def _in_days(rows: QuerySet[M], date_from: date | None, date_to: date | None) -> QuerySet[M]:
    if date_from is not None:
        rows = rows.filter(business_date__gte=date_from)
    if date_to is not None:
        rows = rows.filter(business_date__lte=date_to)
    return rows


def _as_sums(rows: QuerySet[M], key: Sequence[str], sums: Sequence[str]) -> Sums:
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
    return _as_sums(_months_in(organisation_id, date_from, date_to), MONTH_KEY, PRODUCT_SUMS)


def _months_in(
    organisation_id: int, date_from: date | None, date_to: date | None
) -> QuerySet[MonthlyProductSales]:
    """The monthly rows of every month that meets the range."""
    rows = MonthlyProductSales.objects.filter(organisation_id=organisation_id)
    first, last = month_span(date_from, date_to)
    if first is not None:
        rows = rows.filter(month__gte=first)
    if last is not None:
        rows = rows.filter(month__lte=last)
    return rows


def stored_chain_days(
    organisation_id: int, date_from: date | None = None, date_to: date | None = None
) -> tuple[Sums, Sums]:
    """The chain-wide daily tables (sales, products) as stored, in the range."""
    sales = ChainDailySales.objects.filter(organisation_id=organisation_id)
    products = ChainDailyProductSales.objects.filter(organisation_id=organisation_id)
    return (
        _as_sums(_in_days(sales, date_from, date_to), CHAIN_SALES_KEY, STORE_SUMS),
        _as_sums(_in_days(products, date_from, date_to), CHAIN_DAY_KEY, PRODUCT_SUMS),
    )


def _nonzero(table: Sums) -> Sums:
    return {key: values for key, values in table.items() if any(values)}


def raw_months(
    organisation_id: int, date_from: date | None = None, date_to: date | None = None
) -> Sums:
    """The monthly table as the raw sale rows make it, for the months that meet the range."""
    _, products, _ = raw_sums(organisation_id, *month_span(date_from, date_to))
    return _nonzero(month_sums(products))


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
        "chain daily sales",
        "chain daily product sales",
        "monthly product sales",
    )
    raw = raw_sums(organisation_id, date_from, date_to)
    stored = (
        *stored_sums(organisation_id, date_from, date_to),
        *stored_chain_days(organisation_id, date_from, date_to),
        stored_months(organisation_id, date_from, date_to),
    )
    expected = (
        *raw,
        _nonzero(chain_sales_sums(raw[0])),
        _nonzero(chain_day_sums(raw[1])),
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
    for model in (
        DailyStoreSales,
        DailyProductSales,
        DailyPaymentSales,
        ChainDailySales,
        ChainDailyProductSales,
    ):
        _in_days(model.objects.filter(organisation_id=organisation_id), date_from, date_to).delete()
    stores, products, payments = raw_sums(organisation_id, date_from, date_to)
    upsert(DailyStoreSales._meta.db_table, STORE_KEY, STORE_SUMS, stores)
    upsert(DailyProductSales._meta.db_table, PRODUCT_KEY, PRODUCT_SUMS, products)
    upsert(DailyPaymentSales._meta.db_table, PAYMENT_KEY, PAYMENT_SUMS, payments)
    chain_upserts(stores, products)
    _months_in(organisation_id, date_from, date_to).delete()
    upsert(
        MonthlyProductSales._meta.db_table,
        MONTH_KEY,
        PRODUCT_SUMS,
        raw_months(organisation_id, date_from, date_to),
    )
