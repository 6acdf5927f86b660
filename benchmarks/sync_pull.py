"""Sync pull figures through a real gunicorn on MariaDB (database ``asiria_bench_sync``):

- ``sync.pull.server.first_100k_s``: a new till's first pull of a 100,000-product catalog, pages of
  1,000 (``GET /api/v1/sync/pull/``), server side plus HTTP (the till's own page apply is the
  end-to-end figure, measured with the till);
- ``sync.pull.empty.p50`` / ``.p99``: an incremental pull when nothing changed.

Targets: first pull <= 10 s with the till's apply; empty pull <= 50 ms.
Size: ASIRIA_BENCH_SYNC_PRODUCTS (default 100000).
"""

from __future__ import annotations

import os
import time

import requests
from _bench import emit, emit_latency, time_calls_ms
from _sync_bench import django_here, fresh_database, seed_world, start_server

PRODUCTS = int(os.environ.get("ASIRIA_BENCH_SYNC_PRODUCTS", "100000"))
PAGE = 1000


def token(base: str, world: dict) -> str:
    response = requests.post(
        f"{base}/o/token/",
        data={"grant_type": "client_credentials"},
        auth=(world["client_id"], world["client_secret"]),
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["access_token"]


def first_pull(session: requests.Session, base: str) -> tuple[float, int, str]:
    cursor, changes, pages = "0", 0, 0
    start = time.perf_counter()
    durations = []
    while True:
        began = time.perf_counter()
        response = session.get(
            f"{base}/api/v1/sync/pull/", params={"cursor": cursor, "limit": PAGE}, timeout=60
        )
        response.raise_for_status()
        page = response.json()
        durations.append(time.perf_counter() - began)
        pages += 1
        changes += len(page["changes"])
        if not page["changes"] and page["cursor"] == cursor:
            break
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    elapsed = time.perf_counter() - start
    print(
        f"first pull: {changes} changes in {pages} pages, {elapsed:.2f} s (first page"
        f" {durations[0] * 1000:.0f} ms, median {sorted(durations)[len(durations) // 2] * 1000:.0f}"
        " ms)"
    )
    return elapsed, changes, cursor


def main() -> None:
    fresh_database()
    django_here()
    started = time.perf_counter()
    world = seed_world(products=PRODUCTS)
    print(f"seeded {PRODUCTS} products in {time.perf_counter() - started:.1f} s")
    # A catalog that exists before the till: its changes were numbered as they were made
    # (every pull numbers what committed since the last one). Timed apart, for the record.
    from cloud_api.sync.sequencer import changes_sequence

    started = time.perf_counter()
    changes_sequence(organisation_id=world["organisation"].pk)
    sequencing = time.perf_counter() - started
    print(f"numbering {PRODUCTS} changes at once: {sequencing:.2f} s")
    server, base = start_server(workers=2)
    try:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token(base, world)}"
        elapsed, changes, cursor = first_pull(session, base)
        if changes < PRODUCTS:
            raise SystemExit(f"only {changes} changes for {PRODUCTS} products")

        def empty() -> None:
            page = session.get(
                f"{base}/api/v1/sync/pull/", params={"cursor": cursor, "limit": 500}, timeout=10
            ).json()
            assert page["changes"] == [] and page["cursor"] == cursor

        samples = time_calls_ms(empty, repeat=300, warmup=10)
    finally:
        server.terminate()
        server.wait(timeout=30)
    emit("sync.pull.server.first_100k_s", elapsed, "s")
    emit("sync.pull.sequence_100k_s", sequencing, "s")
    emit_latency("sync.pull.empty", samples)


if __name__ == "__main__":
    main()
