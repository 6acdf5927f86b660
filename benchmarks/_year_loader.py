"""Bulk-load the report aggregates that a year of a chain's pushes leaves behind.

Per store and day: 274 sale lines (10,000,000 / 36,500) over about 90 sales, two tills x two
cashiers, three tenders, and the distinct products those lines hit in the catalogue (about
175 a day). The daily rows are made here; the chain-wide and monthly rows are made from them
with the functions ``aggregates_apply`` itself uses (``month_sums``, ``chain_day_sums``,
``chain_sales_sums``), so every table holds what a year of pushes would have written.

Rows are generated day by day (every store's day, then the next day), written to
tab-separated files and read with ``LOAD DATA LOCAL INFILE``: each table's indexes then grow
at a few points at a time (the day's end of the date-first indexes, each store's end of the
store-first unique key) and stay in a small buffer pool, where row-by-row inserts of a store's
whole year before the next store's touched every page of the date-first indexes.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

DAYS = 365
LINES_PER_STORE_DAY = 274  # 100 stores x 365 days x 274 = 10,001,000 lines
SALES_PER_STORE_DAY = 90
CATALOGUE = 400
FIRST_DAY = date(2025, 1, 1)


def _tables() -> dict[str, tuple[Any, tuple[str, ...]]]:
    """Each table's model and its columns in file order (key, then sums)."""
    from cloud_api.reporting import aggregates as agg
    from cloud_api.reporting.models import (
        ChainDailyProductSales,
        ChainDailySales,
        DailyPaymentSales,
        DailyProductSales,
        DailyStoreSales,
        MonthlyProductSales,
    )

    return {
        "store": (DailyStoreSales, (*agg.STORE_KEY, *agg.STORE_SUMS)),
        "product": (DailyProductSales, (*agg.PRODUCT_KEY, *agg.PRODUCT_SUMS)),
        "payment": (DailyPaymentSales, (*agg.PAYMENT_KEY, *agg.PAYMENT_SUMS)),
        "month": (MonthlyProductSales, (*agg.MONTH_KEY, *agg.PRODUCT_SUMS)),
        "chain_product": (ChainDailyProductSales, (*agg.CHAIN_DAY_KEY, *agg.PRODUCT_SUMS)),
        "chain_sales": (ChainDailySales, (*agg.CHAIN_SALES_KEY, *agg.STORE_SUMS)),
    }


def _write(out: IO[str], rows: dict[tuple[Any, ...], list[int]]) -> int:
    for key, values in rows.items():
        out.write("\t".join(map(str, (*key, *values))))
        out.write("\n")
    return len(rows)


def _store_day(
    rng: random.Random,
    organisation_id: int,
    store_id: int,
    store_index: int,
    day: date,
    products: list[Any],
    owner_id: int,
) -> tuple[dict, dict, dict]:
    """One store's day as the daily tables' rows {key: sums}."""
    counts: dict[int, int] = {}
    for _ in range(LINES_PER_STORE_DAY):
        pick = int(CATALOGUE * rng.random() ** 2)  # cheap items sell most
        counts[pick] = counts.get(pick, 0) + 1
    total = tax = 0
    product_rows = {}
    for pick, lines in counts.items():
        product = products[pick]
        line_total = product.price_cents * lines
        line_tax = (line_total * 1600 + 5800) // 11600
        total += line_total
        tax += line_tax
        product_rows[(organisation_id, store_id, day, product.pk)] = [
            lines,
            lines * 1000,
            0,
            line_tax,
            line_total,
            product.cost_price_cents * lines,
            0,
            0,
        ]
    # Two tills x two cashiers share the day's sales; the last takes the rest.
    store_rows = {}
    shares = [(1, owner_id), (1, owner_id + 1), (2, owner_id), (2, owner_id + 1)]
    for share, (terminal, cashier) in enumerate(shares):
        last = share == 3
        part = total - 3 * (total // 4) if last else total // 4
        part_tax = tax - 3 * (tax // 4) if last else tax // 4
        sales = SALES_PER_STORE_DAY // 4 + (1 if share < SALES_PER_STORE_DAY % 4 else 0)
        items = LINES_PER_STORE_DAY // 4 + (LINES_PER_STORE_DAY % 4 if last else 0)
        key = (organisation_id, store_id, day, terminal + 1000 * store_index, cashier)
        store_rows[key] = [sales, items, part, 0, part_tax, part, 0, 0, 0, 0]
    cash, card = total // 2, total // 5
    payment_rows = {
        (organisation_id, store_id, day, "cash"): [45, cash],
        (organisation_id, store_id, day, "card"): [18, card],
        (organisation_id, store_id, day, "mpesa"): [27, total - cash - card],
    }
    return store_rows, product_rows, payment_rows


def write_files(organisation, stores, products, owner, folder: Path) -> dict[str, int]:
    """The year's rows of every table into ``folder/<table>.tsv``; returns rows per table."""
    from cloud_api.reporting.aggregates import chain_day_sums, chain_sales_sums, month_sums

    rng = random.Random(20250101)
    files = {name: (folder / f"{name}.tsv").open("w") for name in _tables()}
    written = dict.fromkeys(files, 0)
    months: dict[tuple[Any, ...], list[int]] = {}
    try:
        for day_index in range(DAYS):
            day = FIRST_DAY + timedelta(days=day_index)
            day_stores: dict = {}
            day_products: dict = {}
            for store_index, store in enumerate(stores):
                store_rows, product_rows, payment_rows = _store_day(
                    rng, organisation.pk, store.pk, store_index, day, products, owner.pk
                )
                written["store"] += _write(files["store"], store_rows)
                written["product"] += _write(files["product"], product_rows)
                written["payment"] += _write(files["payment"], payment_rows)
                day_stores.update(store_rows)
                day_products.update(product_rows)
            written["chain_product"] += _write(files["chain_product"], chain_day_sums(day_products))
            written["chain_sales"] += _write(files["chain_sales"], chain_sales_sums(day_stores))
            for key, values in month_sums(day_products).items():
                have = months.get(key, [0] * len(values))
                months[key] = [a + b for a, b in zip(have, values, strict=True)]
            if (day + timedelta(days=1)).day == 1 or day_index == DAYS - 1:
                written["month"] += _write(files["month"], months)
                months = {}
    finally:
        for out in files.values():
            out.close()
    return written


def _raw_connection():
    """A PyMySQL connection of its own that may send local files (LOAD DATA LOCAL INFILE)."""
    import pymysql
    from django.db import connection

    params = connection.settings_dict
    return pymysql.connect(
        host=params["HOST"] or "127.0.0.1",
        port=int(params["PORT"] or 3306),
        user=params["USER"],
        password=params["PASSWORD"] or "",
        database=params["NAME"],
        local_infile=True,
        autocommit=True,
    )


def load_files(folder: Path) -> dict[str, float]:
    """Each table's file into the table; returns seconds per table."""
    seconds = {}
    link = _raw_connection()
    try:
        with link.cursor() as cursor:
            cursor.execute("SET SESSION unique_checks = 0, foreign_key_checks = 0")
            for name, (model, columns) in _tables().items():
                started = time.perf_counter()
                table = model._meta.db_table
                cursor.execute(
                    f"LOAD DATA LOCAL INFILE %s INTO TABLE `{table}`"
                    " FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n'"
                    f" ({', '.join(columns)})",
                    [str(folder / f"{name}.tsv")],
                )
                cursor.execute(f"ANALYZE TABLE `{table}`")
                cursor.fetchall()
                seconds[name] = time.perf_counter() - started
    finally:
        link.close()
    return seconds


def loaded(organisation, stores) -> bool:
    """Whether this organisation already holds a whole year of these stores in every table."""
    from cloud_api.reporting.models import (
        MONTHLY_CHAIN_STORE,
        ChainDailySales,
        DailyStoreSales,
        MonthlyProductSales,
    )

    return (
        DailyStoreSales.objects.filter(organisation=organisation).count() == len(stores) * DAYS * 4
        and ChainDailySales.objects.filter(organisation=organisation).count() == DAYS
        and MonthlyProductSales.objects.filter(
            organisation=organisation, store_id=MONTHLY_CHAIN_STORE
        ).exists()
    )


def clear(organisation) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for model, _ in _tables().values():
            cursor.execute(
                f"DELETE FROM `{model._meta.db_table}` WHERE organisation_id = %s",
                [organisation.pk],
            )


def load_year(organisation, stores, products, owner) -> tuple[int, float | None]:
    """The aggregate rows of a year of sales in these stores (reused when loaded already);
    returns the sale lines they stand for and the load's seconds (None when reused)."""
    lines_total = len(stores) * DAYS * LINES_PER_STORE_DAY
    if loaded(organisation, stores):
        print(f"reusing the aggregates of {len(stores)} stores x {DAYS} days")
        check_rollups(organisation)
        return lines_total, None
    clear(organisation)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="asiria-year-") as folder:
        written = write_files(organisation, stores, products, owner, Path(folder))
        generated = time.perf_counter() - started
        seconds = load_files(Path(folder))
    elapsed = time.perf_counter() - started
    print(
        f"loaded a year of {len(stores)} stores ({lines_total:,} sale lines) in {elapsed:.0f} s:"
        f" files written in {generated:.0f} s, then "
        + ", ".join(f"{name} {written[name]:,} rows {seconds[name]:.0f} s" for name in written)
    )
    check_rollups(organisation)
    return lines_total, elapsed


def check_rollups(organisation) -> None:
    """The chain-wide and monthly tables sum to the daily ones (as pushes keep them)."""
    from django.db.models import Sum

    from cloud_api.reporting.aggregates import PRODUCT_SUMS, STORE_SUMS
    from cloud_api.reporting.models import MONTHLY_CHAIN_STORE as CHAIN
    from cloud_api.reporting.models import (
        ChainDailyProductSales,
        ChainDailySales,
        DailyProductSales,
        DailyStoreSales,
        MonthlyProductSales,
    )

    products = {name: Sum(name) for name in PRODUCT_SUMS}
    daily = DailyProductSales.objects.filter(organisation=organisation).aggregate(**products)
    months = MonthlyProductSales.objects.filter(organisation=organisation)
    for part in (
        months.filter(store_id=CHAIN),
        months.exclude(store_id=CHAIN),
        ChainDailyProductSales.objects.filter(organisation=organisation),
    ):
        assert part.aggregate(**products) == daily, "a product rollup differs from the days"
    sales = {name: Sum(name) for name in STORE_SUMS}
    assert ChainDailySales.objects.filter(organisation=organisation).aggregate(
        **sales
    ) == DailyStoreSales.objects.filter(organisation=organisation).aggregate(**sales), (
        "the chain-wide sales differ from the stores' days"
    )
