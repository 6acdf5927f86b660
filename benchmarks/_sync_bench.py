"""Shared set-up of the sync benchmarks: a fresh database (``asiria_bench_sync``), Redis DB 14,
an organisation with products, a cashier and an enrolled terminal, and a live gunicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = os.environ.get("ASIRIA_BENCH_SYNC_DB", "asiria_bench_sync")
ENV = {
    **os.environ,
    "DATABASE_URL": f"mysql://root:@127.0.0.1:3306/{DB_NAME}",
    "REDIS_URL": os.environ.get("ASIRIA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "ASIRIA_RATE_USER": "1000000/min",
    "ASIRIA_RATE_TERMINAL": "1000000/min",
    "ASIRIA_RATE_OAUTH_TOKEN": "1000000/min",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "cloud_api.settings",
}


def fresh_database() -> None:
    import pymysql

    connection = pymysql.connect(host="127.0.0.1", user="root", password="", port=3306)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{DB_NAME}`")
        cursor.execute(
            f"CREATE DATABASE `{DB_NAME}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
    connection.close()
    subprocess.run(
        [sys.executable, "-m", "cloud_api.manage", "migrate", "--noinput"],
        env=ENV,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    import redis

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()


def django_here() -> None:
    """Use Django in this process too (seeding), on the benchmark database."""
    os.environ.update({key: ENV[key] for key in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")})
    os.environ.update(
        {"DJANGO_SETTINGS_MODULE": ENV["DJANGO_SETTINGS_MODULE"], "LOG_LEVEL": "WARNING"}
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed_world(products: int) -> dict:
    """Organisation, store, cashier, ``products`` products (bulk), an enrolled terminal."""
    from cloud_api.accounts.models import Role
    from cloud_api.accounts.services import (
        organisation_create,
        store_create,
        terminal_create,
        terminal_enroll,
        user_create,
    )
    from cloud_api.catalog.models import PriceHistory, Product, TaxClass
    from cloud_api.sync.services import changes_record

    organisation = organisation_create(name="Bench Sync Co")
    store = store_create(organisation=organisation, name="Bench Main")
    owner = user_create(
        actor=None,
        organisation=organisation,
        name="Owner",
        email="owner@benchsync.example",
        role=Role.OWNER,
        password="Bench-Owner-Pass-2026",
    )
    cashier = user_create(
        actor=None,
        organisation=organisation,
        name="Cashier",
        email="cashier@benchsync.example",
        role=Role.CASHIER,
        password="Bench-Cashier-Pass-2026",
        store=store,
        pin="1234",
    )
    standard = TaxClass.objects.get(organisation=organisation, code="standard")
    rows = Product.objects.bulk_create(
        (
            Product(
                organisation=organisation,
                name=f"Bench product {index:06d}",
                barcode=None,
                price_cents=1000 + index % 5000,
                tax_class=standard,
            )
            for index in range(products)
        ),
        batch_size=5000,
    )
    PriceHistory.objects.bulk_create(
        (PriceHistory(product=row, price_cents=row.price_cents) for row in rows), batch_size=5000
    )
    for start in range(0, len(rows), 5000):
        changes_record(
            organisation_id=organisation.pk,
            entity="product",
            entity_ids=[row.uuid for row in rows[start : start + 5000]],
        )
    _, code = terminal_create(store=store, name="Bench till", created_by=owner)
    terminal, client_id, secret = terminal_enroll(code=code, name="Bench till")
    return {
        "organisation": organisation,
        "store": store,
        "owner": owner,
        "cashier": cashier,
        "products": rows,
        "terminal": terminal,
        "client_id": client_id,
        "client_secret": secret,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workers: int = 2) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cloud_api.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=ENV,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if requests.get(f"{base}/readyz", timeout=1).status_code == 200:
                return server, base
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not become ready")
