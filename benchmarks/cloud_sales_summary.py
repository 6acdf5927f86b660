"""The daily sales-summary report over 1,000,000 sale lines on MariaDB (target p50 <= 300 ms).

Loads ASIRIA_BENCH_LINES (default 1,000,000) sale lines - three per sale, 3 stores, 90 days -
into its own database ``asiria_bench_report`` once (re-runs reuse them), then times
``GET /api/v1/reports/sales-summary/`` for a month and for the whole 90 days.

Why it is fast: the report reads the daily per-store aggregates (``reporting.models``), kept
in the transaction that applies each pushed sale; this loader writes sales around the push, so
it rebuilds the aggregates from the raw rows once loaded (``aggregates_rebuild``, what the
``reports_rebuild`` command runs). A year of a chain is in ``cloud_reports_scale.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _bench import emit, emit_latency

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.update(
    DATABASE_URL=os.environ.get(
        "ASIRIA_BENCH_REPORT_DATABASE_URL", "mysql://root:@127.0.0.1:3306/asiria_bench_report"
    ),
    REDIS_URL=os.environ.get("ASIRIA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    SECRET_KEY="benchmark-only-secret-key-" + "x" * 40,
    ALLOWED_HOSTS="testserver",
    LOG_LEVEL="WARNING",
    ASIRIA_RATE_USER="1000000/min",
    DJANGO_SETTINGS_MODULE="cloud_api.settings",
)
LINES = int(os.environ.get("ASIRIA_BENCH_LINES", "1000000"))
LINES_PER_SALE = 3
DAYS = 90
FIRST_DAY = date(2026, 8, 1)
BATCH = 5000


def create_database() -> None:
    import pymysql

    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    connection = pymysql.connect(host="127.0.0.1", user="root", password="", port=3306)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE DATABASE IF NOT EXISTS `{name}`"
            " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
    connection.close()


def setup_django():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return bench_organisation("Report Bench", "Store", "owner@report.example")


def bench_organisation(name: str, store_label: str, owner_email: str):
    """An organisation with three stores (``<store_label> 1`` to 3) and its owner; re-runs
    find them."""
    from cloud_api.accounts.services import organisation_bootstrap, store_create

    organisation, store, owner, _ = organisation_bootstrap(
        organisation_name=name,
        store_name=f"{store_label} 1",
        owner_email=owner_email,
        owner_password="Bench-Owner-Pass-2026",
    )
    stores = [store]
    for number in (2, 3):
        found = organisation.stores.filter(name=f"{store_label} {number}").first()
        stores.append(
            found or store_create(organisation=organisation, name=f"{store_label} {number}")
        )
    return organisation, stores, owner


def load(organisation, stores, owner, *, first_day: date = FIRST_DAY, lines: int = LINES) -> None:
    """``lines`` sale lines over the DAYS from ``first_day`` (kept when already loaded)."""
    from django.db import connection

    from cloud_api.catalog.models import Product, TaxClass
    from cloud_api.sales.models import SaleLine

    loaded = SaleLine.objects.filter(sale__organisation=organisation)
    have = loaded.count()
    starts = loaded.order_by("sale__business_date").values_list("sale__business_date").first()
    if have >= lines and starts == (first_day,):
        print(f"reusing {have} sale lines already loaded")
        _aggregates(organisation, rebuild=False)
        return
    with connection.cursor() as cursor:  # a smaller or older earlier load: start again
        cursor.execute(
            "DELETE l FROM sales_saleline l JOIN sales_sale s ON s.id = l.sale_id"
            " WHERE s.organisation_id = %s",
            [organisation.pk],
        )
        cursor.execute("DELETE FROM sales_sale WHERE organisation_id = %s", [organisation.pk])
    standard = TaxClass.objects.get(organisation=organisation, code="standard")
    products = list(Product.objects.filter(organisation=organisation)[:100])
    for index in range(len(products), 100):
        products.append(
            Product.objects.create(
                organisation=organisation,
                name=f"Item {index}",
                price_cents=500 + 37 * index,
                tax_class=standard,
            )
        )
    as_text = connection.data_types["UUIDField"] != "char(32)"
    sales_total = -(-lines // LINES_PER_SALE)  # at least ``lines`` lines
    per_day = sales_total // DAYS + 1
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM sales_sale")
        next_sale_id = cursor.fetchone()[0] + 1
        cursor.execute("SET SESSION unique_checks = 0, foreign_key_checks = 0")
        sale_rows: list[tuple] = []
        line_rows: list[tuple] = []
        import uuid

        def uid() -> str:
            value = uuid.uuid4()
            return str(value) if as_text else value.hex

        for number in range(sales_total):
            day = first_day + timedelta(days=number // per_day)
            store = stores[number % len(stores)]
            moment = datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(
                seconds=(number % per_day) * 10
            )
            total = tax = 0
            sale_id = next_sale_id + number
            for line_no in range(1, LINES_PER_SALE + 1):
                product = products[(number * 7 + line_no) % len(products)]
                line_total = product.price_cents * line_no
                line_tax = (2 * line_total * 1600 + 11600) // 23200
                total += line_total
                tax += line_tax
                line_rows.append(
                    (
                        uid(),
                        sale_id,
                        line_no,
                        product.pk,
                        product.name,
                        line_no,
                        product.price_cents,
                        0,
                        line_tax,
                        line_total,
                        product.price_cents,
                        0,
                    )
                )
            sale_rows.append(
                (
                    sale_id,
                    uid(),
                    moment,
                    moment,
                    organisation.pk,
                    store.pk,
                    owner.pk,
                    f"S{store.code[1:]}-T01-{number:08d}",
                    moment,
                    day,
                    "KES",
                    total,
                    0,
                    tax,
                    total,
                    0,
                    LINES_PER_SALE * 2,
                    0,
                    "completed",
                    False,
                    False,
                    "0" * 64,
                    "",
                    0,
                    False,
                )
            )
            if len(sale_rows) >= BATCH or number == sales_total - 1:
                cursor.executemany(
                    "INSERT INTO sales_sale (id, uuid, created_at, updated_at, organisation_id,"
                    " store_id, cashier_id, receipt_no, completed_at, business_date, currency,"
                    " subtotal_cents, discount_cents, tax_cents, total_cents, change_cents,"
                    " items_count, refunded_cents, status, price_mismatch, tax_mismatch,"
                    " payload_sha256, void_reason, rounding_cents, imported_history)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
                    " %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    sale_rows,
                )
                cursor.executemany(
                    "INSERT INTO sales_saleline (uuid, sale_id, line_no, product_id, name, qty,"
                    " unit_price_cents, discount_cents, tax_cents, total_cents,"
                    " catalog_price_cents, refunded_milli) VALUES (%s, %s, %s, %s, %s, %s, %s,"
                    " %s, %s, %s, %s, %s)",
                    line_rows,
                )
                sale_rows.clear()
                line_rows.clear()
        cursor.execute("SET SESSION unique_checks = 1, foreign_key_checks = 1")
        cursor.execute("ANALYZE TABLE sales_sale")
    print(
        f"loaded {sales_total} sales / {sales_total * LINES_PER_SALE} lines "
        f"in {time.perf_counter() - started:.0f} s"
    )
    _aggregates(organisation, rebuild=True)


def _aggregates(organisation, *, rebuild: bool) -> None:
    """The daily aggregates the reports read, rebuilt from the raw rows loaded above (a push
    keeps them; this loader writes around the push)."""
    from cloud_api.reporting.models import DailyStoreSales
    from cloud_api.reporting.rebuild import aggregates_rebuild

    if rebuild or not DailyStoreSales.objects.filter(organisation=organisation).exists():
        started = time.perf_counter()
        aggregates_rebuild(organisation.pk)
        print(f"rebuilt the daily aggregates in {time.perf_counter() - started:.0f} s")


def main() -> None:
    create_database()
    organisation, stores, owner = setup_django()
    load(organisation, stores, owner)

    from django.db import connection
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(owner).access_token}")
    ranges = {
        "month": (FIRST_DAY + timedelta(days=30), FIRST_DAY + timedelta(days=59)),
        "90days": (FIRST_DAY, FIRST_DAY + timedelta(days=DAYS - 1)),
    }
    for label, (first, last) in ranges.items():
        url = f"/api/v1/reports/sales-summary/?date_from={first}&date_to={last}"
        body = client.get(url).json()
        print(
            f"{label}: {body['sales_count']} sales, {body['items_count']} items, "
            f"{len(body['by_day'])} days"
        )
        samples = []
        for _ in range(15):
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        emit_latency(f"cloud.report.sales_summary.{label}", samples)
        store_url = f"{url}&store_id={stores[1].uuid}"
        store_samples = []
        for _ in range(15):
            start = time.perf_counter()
            client.get(store_url)
            store_samples.append((time.perf_counter() - start) * 1000)
        emit(
            f"cloud.report.sales_summary.{label}.one_store.p50",
            statistics.median(store_samples),
            "ms",
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT business_date, COUNT(id), SUM(items_count), SUM(total_cents),"
            " SUM(tax_cents) FROM sales_sale WHERE organisation_id = %s AND business_date"
            " BETWEEN %s AND %s AND status = 'completed' GROUP BY business_date",
            [organisation.pk, *ranges["month"]],
        )
        columns = [c[0] for c in cursor.description]
        plan = dict(zip(columns, cursor.fetchone(), strict=True))
    print(f"plan: key={plan['key']} extra={plan['Extra']}")


if __name__ == "__main__":
    main()
