"""A new till's first pull of a 100,000-product catalog, end to end: the till's real sync engine
(``SyncEngine.sync_now``: its HTTP client, ``Puller``, the mapping and the page + cursor written
to SQLite in one transaction each) against a real gunicorn (2 workers) on MariaDB
(``asiria_bench_first_pull``, Redis DB 14).

The catalog is seeded in bulk with the ORM (``benchmarks/_sync_bench.seed_world``: products,
price history and their change-log rows through ``cloud_api.sync.services.changes_record``, as
the cloud's own write paths do), then numbered once (``changes_sequence``), as a catalog built
over time would already be when a new till joins.

- ``sync.pull.first_100k_s``: enrolled till, empty database -> whole catalog on the till, with
  the till's configured page size (500). Target <= 10 s.
- ``sync.pull.empty_ms.p50`` / ``.p99``: an incremental pull when nothing changed, through the
  till's ``Puller`` (one request, the cursor read from SQLite). Target <= 50 ms.

Size: ASIRIA_BENCH_SYNC_PRODUCTS (default 100000); the till's page size: ASIRIA_BENCH_PULL_PAGE
(default: the till's setting, 500; the cloud allows 1000).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("ASIRIA_BENCH_SYNC_DB", "asiria_bench_first_pull")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # secret in the data dir

from _bench import emit, emit_latency, time_calls_ms
from _sync_bench import DB_NAME, django_here, fresh_database, seed_world, start_server

PRODUCTS = int(os.environ.get("ASIRIA_BENCH_SYNC_PRODUCTS", "100000"))


def main() -> None:
    fresh_database()
    django_here()
    started = time.perf_counter()
    world = seed_world(products=PRODUCTS)
    from cloud_api.accounts.services import terminal_create
    from cloud_api.sync.sequencer import changes_sequence

    changes_sequence(organisation_id=world["organisation"].pk)
    _, code = terminal_create(store=world["store"], name="First pull till", created_by=None)
    print(f"seeded {PRODUCTS} products in {time.perf_counter() - started:.1f} s", flush=True)

    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import load_config

    data = Path(tempfile.mkdtemp(prefix="asiria-first-pull-"))
    config = load_config(data_dir=data, config_file=data / "no-such.toml", environ={})
    page = int(os.environ.get("ASIRIA_BENCH_PULL_PAGE", config.sync.page_size))
    config = replace(config, scan_debounce_ms=0, sync=replace(config.sync, page_size=page))
    till = build_till(config)
    server, base = start_server(workers=2)
    try:
        till.services.sync.enroll(base, code, "First pull till")
        engine = till.sync_engine
        assert engine is not None
        spent = {"http": 0.0, "apply": 0.0}
        api = engine._client(engine.terminal())  # the engine's own client, reused by sync_now
        store = engine._puller._store

        def timed(name: str, fn):  # type: ignore[no-untyped-def]
            def call(*args, **kwargs):  # type: ignore[no-untyped-def]
                began = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    spent[name] += time.perf_counter() - began

            return call

        api.pull = timed("http", api.pull)  # type: ignore[method-assign]
        store.apply_page = timed("apply", store.apply_page)  # type: ignore[method-assign]
        started = time.perf_counter()
        report = engine.sync_now()
        first = time.perf_counter() - started
        if not report.ok or report.pulled < PRODUCTS:
            raise SystemExit(f"first pull failed or short: {report}")
        with till.database.uow(read_only=True) as uow:
            on_till = uow.products.count() if hasattr(uow.products, "count") else None
        print(
            f"first pull: {report.pulled} changes in {first:.2f} s "
            f"(page size {config.sync.page_size}; products on the till: {on_till}): "
            f"{spent['http']:.2f} s waiting for the cloud (request + answer + JSON), "
            f"{spent['apply']:.2f} s applying pages on the till",
            flush=True,
        )
        puller = engine._puller

        def empty() -> None:
            outcome = puller.pull(api)
            assert outcome.changes == 0

        samples = time_calls_ms(empty, repeat=300, warmup=10)
    finally:
        till.close()
        server.terminate()
        server.wait(timeout=30)
        import pymysql

        connection = pymysql.connect(host="127.0.0.1", user="root", password="", port=3306)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{DB_NAME}`")
        connection.close()
    emit("sync.pull.first_100k_s", first, "s")
    emit_latency("sync.pull.empty_ms", samples)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
