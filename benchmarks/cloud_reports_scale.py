"""Reports over a chain's year: 100 stores x 365 days, about 10,000,000 sale lines, answered
from the daily aggregates (target p50 <= 300 ms on MariaDB).

Two parts, each in its own organisation of the database ``asiria_bench_reports_scale``:

1. **The year.** Bulk-loads the aggregate rows that a year of the chain leaves behind
   (``--scale`` 1.0: 100 stores; 0.01: one store), as ``aggregates_apply`` would have written
   them with each push (``_year_loader.py``: per store and day, 274 sale lines over about 90
   sales, two tills x two cashiers, three tenders, about 175 distinct products of 400), timed
   as ``cloud.report.year.load_seconds``. Then times ``GET /api/v1/reports/sales-summary/`` and
   ``GET /api/v1/reports/sales-by-product/`` for the whole year, all stores:
   ``cloud.report.sales_summary.year_10m.p50`` and ``.by_product.p50``; and the summary's
   by-day query on the chain-wide rows against the same query on every store's rows
   (``.chain_vs_store_rows.ratio``, same run).
2. **Against the raw tables, same run.** Loads ``--raw-lines`` real sale rows (the loader of
   ``cloud_sales_summary.py``: 3 stores, 90 days), rebuilds their aggregates from them, checks
   that both give the same totals to the cent, and times the same two reports from the
   aggregates and as queries over the raw sale and sale-line tables:
   ``cloud.report.raw.*`` and ``cloud.report.aggregates_vs_raw.*.ratio``.

Re-runs reuse what is loaded when the sizes match.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from _bench import emit, emit_latency
from _year_loader import CATALOGUE, DAYS, FIRST_DAY, load_year

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STORES_FULL = 100


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=float(os.environ.get("ASIRIA_BENCH_SCALE", "1.0")),
        help="share of the 100 stores to load (1.0 = the full chain)",
    )
    parser.add_argument(
        "--raw-lines",
        type=int,
        default=int(os.environ.get("ASIRIA_BENCH_RAW_LINES", "300000")),
        help="raw sale lines for the comparison with the raw tables",
    )
    parser.add_argument(
        "--repeat", type=int, default=int(os.environ.get("ASIRIA_BENCH_REPEAT", "9"))
    )
    return parser.parse_args()


def configure(raw_lines: int) -> None:
    os.environ.update(
        DATABASE_URL=os.environ.get(
            "ASIRIA_BENCH_SCALE_DATABASE_URL",
            "mysql://root:@127.0.0.1:3306/asiria_bench_reports_scale",
        ),
        REDIS_URL=os.environ.get("ASIRIA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        SECRET_KEY="benchmark-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
        ASIRIA_RATE_USER="1000000/min",
        DJANGO_SETTINGS_MODULE="cloud_api.settings",
        ASIRIA_BENCH_LINES=str(raw_lines),
    )
    os.environ["ASIRIA_BENCH_REPORT_DATABASE_URL"] = os.environ["DATABASE_URL"]


def chain(stores_wanted: int):
    """The chain's organisation, its stores and products (made once) and its owner."""
    from cloud_api.accounts.models import Organisation, Store
    from cloud_api.accounts.services import organisation_bootstrap, store_create
    from cloud_api.catalog.models import Product, TaxClass

    organisation = Organisation.objects.filter(name="Scale Chain").first()
    if organisation is None:
        organisation, _, _, _ = organisation_bootstrap(
            organisation_name="Scale Chain",
            store_name="Store 001",
            owner_email="owner@scale.example",
            owner_password="Bench-Owner-Pass-2026",
        )
    for number in range(Store.objects.filter(organisation=organisation).count(), stores_wanted):
        store_create(organisation=organisation, name=f"Store {number + 1:03d}")
    standard = TaxClass.objects.get(organisation=organisation, code="standard")
    have = Product.objects.filter(organisation=organisation).count()
    Product.objects.bulk_create(
        Product(
            organisation=organisation,
            name=f"Chain item {index:03d}",
            price_cents=500 + 37 * index,
            cost_price_cents=350 + 25 * index,
            tax_class=standard,
        )
        for index in range(have, CATALOGUE)
    )
    stores = list(Store.objects.filter(organisation=organisation).order_by("pk")[:stores_wanted])
    products = list(Product.objects.filter(organisation=organisation).order_by("pk"))
    owner = organisation.users.filter(role="owner").first() or organisation.users.first()
    return organisation, stores, products, owner


def api_for(owner):
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(owner).access_token}")
    return api


def timed(call, repeat: int) -> list[float]:
    call()  # warm-up, and a check that it answers
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def get_ok(api, url: str):
    response = api.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


def raw_summary(organisation_id: int, date_from: date, date_to: date) -> tuple[int, int]:
    """The summary's total and count straight from the sales table (what it read before)."""
    from django.db.models import Count, Sum

    from cloud_api.sales.models import Sale

    row = Sale.objects.filter(
        organisation_id=organisation_id,
        business_date__gte=date_from,
        business_date__lte=date_to,
        status="completed",
    ).aggregate(total=Sum("total_cents"), count=Count("id"))
    return int(row["total"] or 0), int(row["count"])


def raw_by_product(organisation_id: int, date_from: date, date_to: date) -> dict[int, int]:
    """Sales per product straight from the sale-line table."""
    from django.db.models import Sum

    from cloud_api.sales.models import SaleLine

    return {
        row["product_id"]: int(row["total"])
        for row in SaleLine.objects.filter(
            sale__organisation_id=organisation_id,
            sale__business_date__gte=date_from,
            sale__business_date__lte=date_to,
            sale__status="completed",
        )
        .values("product_id")
        .annotate(total=Sum("total_cents"))
    }


def agg_summary(organisation_id: int, date_from: date, date_to: date) -> tuple[int, int]:
    """The same figures from the daily aggregates (the query the report makes)."""
    from django.db.models import Sum

    from cloud_api.reporting.models import DailyStoreSales

    row = DailyStoreSales.objects.filter(
        organisation_id=organisation_id,
        business_date__gte=date_from,
        business_date__lte=date_to,
    ).aggregate(total=Sum("total_cents"), count=Sum("sales_count"))
    return int(row["total"] or 0), int(row["count"] or 0)


def agg_by_product(organisation_id: int, date_from: date, date_to: date) -> dict[int, int]:
    """The report's own query: whole months from the monthly table, the ends from the daily."""
    from cloud_api.reporting.selectors.products import product_sums
    from cloud_api.reporting.selectors.scope import ReportFilter

    sums = product_sums(ReportFilter(organisation_id, date_from, date_to), "product_id")
    return {pk: values["total_cents"] for pk, values in sums.items()}


def days_of(f) -> list[tuple]:
    """The summary's by-day query on the rows ``store_days`` picks for this filter."""
    from django.db.models import Sum

    from cloud_api.reporting.selectors.scope import store_days

    return list(
        store_days(f)
        .values("business_date")
        .annotate(n=Sum("sales_count"), total=Sum("total_cents"), tax=Sum("tax_cents"))
        .order_by("business_date")
        .values_list("business_date", "n", "total", "tax")
    )


def summary_rows_ratio(organisation, stores, repeat: int) -> None:
    """The year's by-day sums for all stores from the chain-wide rows, against the same sums
    from every store's own rows (all store ids named: the path a one-store report takes)."""
    from cloud_api.reporting.selectors.scope import ReportFilter

    last = FIRST_DAY + timedelta(days=DAYS - 1)
    chain = ReportFilter(organisation.pk, FIRST_DAY, last)
    every = ReportFilter(organisation.pk, FIRST_DAY, last, tuple(store.pk for store in stores))
    assert days_of(chain) == days_of(every), "the chain rows differ from the stores' rows"
    chain_ms = timed(lambda: days_of(chain), repeat)
    store_ms = timed(lambda: days_of(every), repeat)
    emit_latency("cloud.report.sales_summary.year_10m.days_from_chain_rows", chain_ms)
    emit_latency("cloud.report.sales_summary.year_10m.days_from_store_rows", store_ms)
    emit(
        "cloud.report.sales_summary.year_10m.chain_vs_store_rows.ratio",
        statistics.median(chain_ms) / statistics.median(store_ms),
        "x",
    )


def main() -> None:
    args = parse()
    configure(args.raw_lines)
    import cloud_sales_summary as raw_loader  # after configure(): it reads the environment

    raw_loader.create_database()
    raw_org, raw_stores, raw_owner = raw_loader.setup_django()

    # 1. The chain's year, from the aggregates.
    stores_wanted = max(1, round(STORES_FULL * args.scale))
    organisation, stores, products, owner = chain(stores_wanted)
    lines, load_seconds = load_year(organisation, stores, products, owner)
    api = api_for(owner)
    year = f"date_from={FIRST_DAY}&date_to={FIRST_DAY + timedelta(days=DAYS - 1)}"
    summary = get_ok(api, f"/api/v1/reports/sales-summary/?{year}")
    by_product = get_ok(api, f"/api/v1/reports/sales-by-product/?{year}")
    assert summary["total_cents"] == by_product["totals"]["total_cents"] > 0
    print(
        f"year: {len(stores)} stores, {lines:,} sale lines, {summary['sales_count']:,} sales,"
        f" {len(by_product['rows'])} products, total {summary['total_cents'] // 100:,} KES"
    )
    year_summary = timed(lambda: get_ok(api, f"/api/v1/reports/sales-summary/?{year}"), args.repeat)
    year_products = timed(
        lambda: get_ok(api, f"/api/v1/reports/sales-by-product/?{year}"), args.repeat
    )
    # A range that cuts a month at both ends: whole months plus 31 days from the daily table.
    cut = f"date_from={FIRST_DAY + timedelta(days=14)}&date_to={FIRST_DAY + timedelta(days=348)}"
    cut_products = get_ok(api, f"/api/v1/reports/sales-by-product/?{cut}")
    assert (
        cut_products["totals"]["total_cents"]
        == get_ok(api, f"/api/v1/reports/sales-summary/?{cut}")["total_cents"]
    )
    year_cut = timed(lambda: get_ok(api, f"/api/v1/reports/sales-by-product/?{cut}"), args.repeat)
    emit("cloud.report.year.sale_lines", lines, "lines")
    if load_seconds is not None:
        emit("cloud.report.year.load_seconds", load_seconds, "s")
    emit_latency("cloud.report.sales_summary.year_10m", year_summary)
    emit_latency("cloud.report.sales_summary.year_10m.by_product", year_products)
    emit_latency("cloud.report.sales_summary.year_10m.by_product_cut_months", year_cut)
    summary_rows_ratio(organisation, stores, args.repeat)

    # 2. The same reports from the aggregates and from the raw tables, over the same sales.
    from cloud_api.reporting.rebuild import aggregates_differences, aggregates_rebuild

    raw_loader.load(raw_org, raw_stores, raw_owner)
    if aggregates_differences(raw_org.pk):  # loaded now, or by a run before the aggregates
        aggregates_rebuild(raw_org.pk)
    assert not aggregates_differences(raw_org.pk), "aggregates differ from the raw rows"
    first = raw_loader.FIRST_DAY
    last = first + timedelta(days=raw_loader.DAYS - 1)
    raw_api = api_for(raw_owner)
    span = f"date_from={first}&date_to={last}"
    api_summary = get_ok(raw_api, f"/api/v1/reports/sales-summary/?{span}")
    api_products = get_ok(raw_api, f"/api/v1/reports/sales-by-product/?{span}")
    raw_total, raw_count = raw_summary(raw_org.pk, first, last)
    assert (api_summary["total_cents"], api_summary["sales_count"]) == (raw_total, raw_count)
    raw_products = raw_by_product(raw_org.pk, first, last)
    assert sum(raw_products.values()) == api_products["totals"]["total_cents"] == raw_total
    print(f"raw: {raw_count:,} sales over {raw_loader.DAYS} days, the same totals both ways")

    # Both sides as bare queries (no HTTP, no serializer), so the ratio is the tables' own.
    assert agg_summary(raw_org.pk, first, last) == (raw_total, raw_count)
    assert agg_by_product(raw_org.pk, first, last) == raw_products
    agg_s = timed(lambda: agg_summary(raw_org.pk, first, last), args.repeat)
    agg_p = timed(lambda: agg_by_product(raw_org.pk, first, last), args.repeat)
    raw_s = timed(lambda: raw_summary(raw_org.pk, first, last), args.repeat)
    raw_p = timed(lambda: raw_by_product(raw_org.pk, first, last), args.repeat)
    emit("cloud.report.raw.sale_lines", raw_loader.LINES, "lines")
    emit_latency("cloud.report.aggregates.sales_summary.90days", agg_s)
    emit_latency("cloud.report.aggregates.by_product.90days", agg_p)
    emit_latency("cloud.report.raw.sales_summary.90days", raw_s)
    emit_latency("cloud.report.raw.by_product.90days", raw_p)
    emit(
        "cloud.report.aggregates_vs_raw.sales_summary.ratio",
        statistics.median(agg_s) / statistics.median(raw_s),
        "x",
    )
    emit(
        "cloud.report.aggregates_vs_raw.by_product.ratio",
        statistics.median(agg_p) / statistics.median(raw_p),
        "x",
    )


if __name__ == "__main__":
    main()
