"""Cloud API figures through a real gunicorn on MariaDB + Redis:

- create-sale throughput (``POST /api/v1/sales/``, the till's ``sale.completed`` shape), one
  client and 4 concurrent clients;
- product list page latency, cold (cache invalidated before each request) and cached.

Uses its own database (``asiria_bench``) and Redis DB 14, so it never touches dev or test data.
Sizes: ASIRIA_BENCH_SALES (default 200 per run), ASIRIA_BENCH_PRODUCTS (default 500).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import zoneinfo
from datetime import datetime
from pathlib import Path

import requests
from _bench import emit, emit_latency
from uuid6 import uuid7

from asiria_desktop.domain.tax import TaxRule, band_line_taxes

ROOT = Path(__file__).resolve().parents[1]
ENV = {
    **os.environ,
    "DATABASE_URL": os.environ.get(
        "ASIRIA_BENCH_DATABASE_URL", "mysql://root:@127.0.0.1:3306/asiria_bench"
    ),
    "REDIS_URL": os.environ.get("ASIRIA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "ASIRIA_RATE_USER": "1000000/min",
    "ASIRIA_RATE_LOGIN": "1000/min",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "cloud_api.settings",
}
SALES = int(os.environ.get("ASIRIA_BENCH_SALES", "200"))
PRODUCTS = int(os.environ.get("ASIRIA_BENCH_PRODUCTS", "500"))
PASSWORD = "Bench-Owner-Pass-2026"


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "cloud_api.manage", *args],
        env=ENV,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def create_database() -> None:
    import pymysql

    url = ENV["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    connection = pymysql.connect(host="127.0.0.1", user="root", password="", port=3306)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE DATABASE IF NOT EXISTS `{name}`"
            " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
    connection.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cloud_api.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--log-level",
            "warning",
        ],
        env=ENV,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not become ready")


def seed(base: str) -> tuple[requests.Session, list[dict], dict]:
    manage(
        "bootstrap",
        "--org",
        "Bench Co",
        "--store",
        "Bench Main",
        "--owner-email",
        "owner@bench.example",
        "--owner-password",
        PASSWORD,
    )
    session = requests.Session()
    tokens = session.post(
        f"{base}/api/v1/auth/token/", json={"email": "owner@bench.example", "password": PASSWORD}
    ).json()
    session.headers["Authorization"] = f"Bearer {tokens['access']}"
    me = session.get(f"{base}/api/v1/users/me/").json()
    store = session.get(f"{base}/api/v1/stores/").json()["results"][0]
    existing = session.get(f"{base}/api/v1/products/?page_size=1").json()["count"]
    for index in range(existing, PRODUCTS):
        response = session.post(
            f"{base}/api/v1/products/",
            json={
                "name": f"Bench product {index:05d}",
                "price_cents": 1000 + index,
                "tax_class": "standard",
            },
        )
        response.raise_for_status()
    products = []
    url = f"{base}/api/v1/products/?page_size=200"
    while url and len(products) < 50:
        page = session.get(url).json()
        products += page["results"]
        url = page["next"]
    return session, products[:50], {"cashier_id": me["id"], "store_id": store["id"]}


def sale_body(products: list[dict], who: dict, index: int) -> dict:
    lines = []
    for offset in range(3):
        product = products[(index * 3 + offset) % len(products)]
        total = product["price_cents"] * 2
        lines.append(
            {
                "id": str(uuid7()),
                "product_id": product["id"],
                "barcode": None,
                "name": product["name"],
                "qty": 2,
                "qty_milli": None,
                "unit_price_cents": product["price_cents"],
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
        "store_id": who["store_id"],
        "cashier_id": who["cashier_id"],
        "receipt_no": f"S01-T01-{uuid7().int % 10**12:012d}",
        "shift_id": None,
        "completed_at": datetime.now(zoneinfo.ZoneInfo("Africa/Nairobi")).isoformat(),
        "currency": "KES",
        "lines": lines,
        "payments": [
            {"id": str(uuid7()), "method": "cash", "amount_cents": total, "reference": None}
        ],
        "subtotal_cents": total,
        "discount_cents": 0,
        "tax_cents": sum(line["tax_cents"] for line in lines),
        "total_cents": total,
        "change_cents": 0,
    }


def throughput(base: str, session: requests.Session, products, who, clients: int) -> float:
    per_client = max(1, SALES // clients)
    errors: list[str] = []

    def work(offset: int) -> None:
        own = requests.Session()
        own.headers.update(session.headers)
        for index in range(per_client):
            response = own.post(
                f"{base}/api/v1/sales/", json=sale_body(products, who, offset + index)
            )
            if response.status_code != 201:
                errors.append(f"{response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=work, args=(n * per_client,)) for n in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit(f"{len(errors)} sales failed, e.g. {errors[0]}")
    return per_client * clients / elapsed


def list_latency(base: str, session: requests.Session, cold: bool, repeat: int = 60) -> list[float]:
    import redis

    flusher = redis.Redis.from_url(ENV["REDIS_URL"])
    samples = []
    for index in range(repeat):
        if cold:
            flusher.flushdb()
        url = f"{base}/api/v1/products/?page={1 + index % 5}&page_size=50"
        start = time.perf_counter()
        response = session.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    return samples


def main() -> None:
    create_database()
    manage("migrate", "--noinput")
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        session, products, who = seed(base)
        throughput(base, session, products, who, 1)  # warm-up: connections, caches
        single = throughput(base, session, products, who, 1)
        print(f"create sale, 1 client: {single:.1f} sales/s ({SALES} sales, 3 lines each)")
        emit("cloud.sales.create.1client", single, "sales/s")
        concurrent = throughput(base, session, products, who, 4)
        print(f"create sale, 4 clients: {concurrent:.1f} sales/s")
        emit("cloud.sales.create.4clients", concurrent, "sales/s")
        list_latency(base, session, cold=False, repeat=10)
        emit_latency("cloud.products.list.cold", list_latency(base, session, cold=True))
        emit_latency("cloud.products.list.cached", list_latency(base, session, cold=False))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
