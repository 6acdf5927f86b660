"""Sync push throughput through a real gunicorn on MariaDB (database ``asiria_bench_sync``):

- ``sync.push.sales_per_s``: 10,000 offline sales (3 lines each) pushed as ``sale.completed``
  events in batches of 500, gzip, by the till's own HTTP client (``asiria_desktop.sync.client``);
- ``sync.push.bare_insert_sales_per_s``: the same rows (sales, lines, payments and their first
  status, stock movements, sync events) for another 10,000 sales, prepared in advance and
  written with PyMySQL ``executemany`` multi-row INSERTs in one transaction: the floor;
- ``sync.push.ratio_vs_bare``: how many times slower the push is than that floor;
- ``sync.push.naive_sales_per_s``: one ``POST /api/v1/sales/`` per sale (500, extrapolated).

Targets: >= 1,000 sales/s and <= 3x bare. Sizes: ASIRIA_BENCH_SYNC_SALES (default 10000).
"""

from __future__ import annotations

import os
import time
import zoneinfo
from datetime import datetime

import requests
from _bench import emit
from _sync_bench import ENV, django_here, fresh_database, seed_world, start_server
from uuid6 import uuid7

from asiria_desktop.domain.tax import TaxRule, band_line_taxes

SALES = int(os.environ.get("ASIRIA_BENCH_SYNC_SALES", "10000"))
NAIVE_SALES = int(os.environ.get("ASIRIA_BENCH_SYNC_NAIVE", "500"))
BATCH = 500
NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")


def sale_payload(products, cashier_uuid: str, index: int) -> dict:
    lines = []
    for offset in range(3):
        product = products[(index * 7 + offset * 13) % len(products)]
        total = product.price_cents * 2
        lines.append(
            {
                "id": str(uuid7()),
                "product_id": str(product.uuid),
                "barcode": None,
                "name": product.name,
                "qty": 2,
                "qty_milli": None,
                "unit_price_cents": product.price_cents,
                "discount_cents": 0,
                "tax_cents": 0,  # set below: the share of the sale's VAT 16 % band
                "total_cents": total,
            }
        )
    # Every bench product is VAT 16 % (tax-inclusive): one band, taxed as the till does.
    taxes = band_line_taxes([line["total_cents"] for line in lines], TaxRule(1600))
    for line, tax in zip(lines, taxes, strict=True):
        line["tax_cents"] = tax
    total = sum(line["total_cents"] for line in lines)
    return {
        "id": str(uuid7()),
        "receipt_no": f"S01-T01-{index:09d}",
        "cashier_id": cashier_uuid,
        "shift_id": None,
        "completed_at": datetime.now(NAIROBI).isoformat(),
        "currency": "KES",
        "lines": lines,
        "payments": [
            {"id": str(uuid7()), "method": "cash", "amount_cents": total + 500, "reference": None}
        ],
        "subtotal_cents": total,
        "discount_cents": 0,
        "tax_cents": sum(line["tax_cents"] for line in lines),
        "total_cents": total,
        "change_cents": 500,
        "rounding_cents": 0,
    }


def envelopes(payloads: list[dict]) -> list[dict]:
    now = datetime.now(NAIROBI).isoformat()
    return [
        {"id": str(uuid7()), "type": "sale.completed", "seq": seq, "recorded_at": now, "payload": p}
        for seq, p in enumerate(payloads, start=1)
    ]


def push_all(base: str, world: dict, events: list[dict]) -> float:
    from asiria_desktop.sync.client import HttpCloudClient

    client = HttpCloudClient(base, world["client_id"], world["client_secret"])
    client.push(events[:1])  # token, connection and worker warm-up (that sale counts below)
    start = time.perf_counter()
    for first in range(0, len(events), BATCH):
        results = client.push(events[first : first + BATCH])
        bad = [r for r in results if r.status not in ("applied", "duplicate")]
        if bad or len(results) != len(events[first : first + BATCH]):
            raise SystemExit(f"push failed: {bad[:3]}")
    elapsed = time.perf_counter() - start
    client.close()
    return elapsed


def bare_rows(world: dict, payloads: list[dict]) -> dict[str, tuple[list[str], list[tuple]]]:
    """The rows a push writes, as database-ready tuples with explicit ids (built untimed)."""
    from django.db import connection
    from django.utils import timezone

    from cloud_api.inventory.models import StockMovement
    from cloud_api.payments.models import Payment, PaymentStatusChange
    from cloud_api.sales.models import Sale, SaleLine
    from cloud_api.sales.services import local_date
    from cloud_api.sync.models import SyncEvent
    from cloud_api.sync.validation import sale_from_wire

    products = {str(p.uuid): p for p in world["products"]}
    store, terminal = world["store"], world["terminal"]
    now = timezone.now()
    start = 10_000_000  # ids far above the pushed rows'
    tables: dict[type, list] = {
        Sale: [],
        SaleLine: [],
        Payment: [],
        PaymentStatusChange: [],
        StockMovement: [],
        SyncEvent: [],
    }
    for index, raw in enumerate(payloads):
        wire = sale_from_wire(raw)
        sale = Sale(
            id=start + index,
            uuid=wire["id"],
            created_at=now,
            updated_at=now,
            organisation=world["organisation"],
            store=store,
            terminal=terminal,
            cashier=world["cashier"],
            receipt_no=f"S01-B01-{index:09d}",
            completed_at=wire["completed_at"],
            business_date=local_date(wire["completed_at"], "Africa/Nairobi"),
            currency="KES",
            subtotal_cents=wire["subtotal_cents"],
            discount_cents=0,
            tax_cents=wire["tax_cents"],
            total_cents=wire["total_cents"],
            change_cents=wire["change_cents"],
            items_count=6,
            payload_sha256="0" * 64,
        )
        tables[Sale].append(sale)
        for number, line in enumerate(wire["lines"]):
            product = products[str(line["product_id"])]
            tables[SaleLine].append(
                SaleLine(
                    id=start + index * 3 + number,
                    uuid=line["id"],
                    sale=sale,
                    line_no=number + 1,
                    product=product,
                    name=line["name"],
                    qty=2,
                    unit_price_cents=line["unit_price_cents"],
                    discount_cents=0,
                    tax_cents=line["tax_cents"],
                    total_cents=line["total_cents"],
                    catalog_price_cents=product.price_cents,
                )
            )
            tables[StockMovement].append(
                StockMovement(
                    id=start + index * 3 + number,
                    uuid=uuid7(),
                    created_at=now,
                    updated_at=now,
                    store=store,
                    product=product,
                    delta_milli=-2000,
                    reason="sale",
                    reference=wire["id"],
                )
            )
        payment = Payment(
            id=start + index,
            uuid=wire["payments"][0]["id"],
            created_at=now,
            updated_at=now,
            sale=sale,
            method="cash",
            amount_cents=wire["payments"][0]["amount_cents"],
        )
        tables[Payment].append(payment)
        tables[PaymentStatusChange].append(
            PaymentStatusChange(
                id=start + index, payment=payment, to_status="completed", changed_at=now
            )
        )
        tables[SyncEvent].append(
            SyncEvent(
                id=start + index,
                uuid=uuid7(),
                organisation=world["organisation"],
                store=store,
                terminal=terminal,
                type="sale.completed",
                seq=start + index,
                record_id=wire["id"],
                recorded_at=now,
                received_at=now,
                payload_sha256="0" * 64,
            )
        )
    prepared = {}
    for model, objects in tables.items():
        fields = model._meta.concrete_fields
        columns = [field.column for field in fields]
        rows = [
            tuple(
                field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields
            )
            for obj in objects
        ]
        prepared[model._meta.db_table] = (columns, rows)
    return prepared


def bare_insert(prepared: dict[str, tuple[list[str], list[tuple]]]) -> float:
    import pymysql

    name = ENV["DATABASE_URL"].rsplit("/", 1)[1]
    connection = pymysql.connect(
        host="127.0.0.1", user="root", password="", port=3306, database=name, autocommit=False
    )
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for table, (columns, rows) in prepared.items():
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            for first in range(0, len(rows), 2000):
                cursor.executemany(sql, rows[first : first + 2000])
    connection.commit()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def naive(base: str, world: dict, payloads: list[dict]) -> float:
    token = requests.post(
        f"{base}/o/token/",
        data={"grant_type": "client_credentials"},
        auth=(world["client_id"], world["client_secret"]),
        timeout=10,
    ).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    start = time.perf_counter()
    for payload in payloads:
        response = session.post(f"{base}/api/v1/sales/", json=payload, timeout=30)
        if response.status_code != 201:
            raise SystemExit(f"POST /sales/ failed: {response.status_code} {response.text[:200]}")
    return time.perf_counter() - start


def main() -> None:
    fresh_database()
    django_here()
    world = seed_world(products=500)
    cashier = str(world["cashier"].uuid)
    products = world["products"][:300]
    pushed = [sale_payload(products, cashier, index) for index in range(SALES)]
    events = envelopes(pushed)
    server, base = start_server(workers=2)
    try:
        elapsed = push_all(base, world, events)
        rate = (SALES - 1) / elapsed
        print(f"push: {SALES} sales in {elapsed:.2f} s = {rate:.0f} sales/s (batches of {BATCH})")
        prepared = bare_rows(
            world, [sale_payload(products, cashier, SALES + i) for i in range(SALES)]
        )
        bare = SALES / bare_insert(prepared)
        print(f"bare PyMySQL insert of the same rows: {bare:.0f} sales/s")
        naive_payloads = [
            sale_payload(products, cashier, 3 * SALES + i) for i in range(NAIVE_SALES)
        ]
        naive_rate = NAIVE_SALES / naive(base, world, naive_payloads)
        print(f"naive, one POST /sales/ per sale: {naive_rate:.1f} sales/s")
    finally:
        server.terminate()
        server.wait(timeout=30)
    emit("sync.push.sales_per_s", rate, "sales/s")
    emit("sync.push.bare_insert_sales_per_s", bare, "sales/s")
    emit("sync.push.ratio_vs_bare", bare / rate, "x")
    emit("sync.push.naive_sales_per_s", naive_rate, "sales/s")


if __name__ == "__main__":
    main()
