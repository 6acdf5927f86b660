"""Concurrent pushes of many stores of one organisation, through a real gunicorn on MariaDB
(database ``asiria_bench_sync_concurrent``, or ``ASIRIA_BENCH_SYNC_CONCURRENT_DB``).

Every push of any store of an organisation adds to the same chain-wide rows of the day (the
``ChainDailySales`` row, and the chain product rows of the products it sells), so pushes of
different stores queue on those row locks until they commit. Three layouts push the same
shape of sales, one thread per till, all tills at once, in the same run:

- ``chain``: one organisation, N stores selling from the same products (what a chain does);
- ``chain_own_products``: one organisation, N stores each selling its own products, so the
  ``ChainDailySales`` row is the only row the stores share;
- ``separate``: N organisations of one store each, so no row is shared: the baseline.

The layouts run in turns, each round starting with the next one, so the machine's load falls
on all three alike. Figures: sales applied per second (all tills' sales over the wall time),
push latency p50/p99 (resends after a 503 or a read timeout included), the ratios to the
baseline, and the InnoDB row-lock waits and deadlocks counted over each layout (server-wide
counters: other sessions add to them).

Sizes: ASIRIA_BENCH_CONCURRENT_STORES (20), _BATCH (sales a push, 25), _BATCHES (pushes a
till, 20), _ROUNDS (3), _WORKERS (gunicorn sync workers, 8).
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from dataclasses import dataclass, field

# Its own database (``_sync_bench`` reads the name on import): it never drops sync_push's.
os.environ["ASIRIA_BENCH_SYNC_DB"] = os.environ.get(
    "ASIRIA_BENCH_SYNC_CONCURRENT_DB", "asiria_bench_sync_concurrent"
)

from _bench import emit, percentile
from _sync_bench import ENV, django_here, fresh_database, start_server
from sync_push import envelopes, sale_payload

STORES = int(os.environ.get("ASIRIA_BENCH_CONCURRENT_STORES", "20"))
BATCH = int(os.environ.get("ASIRIA_BENCH_CONCURRENT_BATCH", "25"))
BATCHES = int(os.environ.get("ASIRIA_BENCH_CONCURRENT_BATCHES", "20"))
ROUNDS = int(os.environ.get("ASIRIA_BENCH_CONCURRENT_ROUNDS", "3"))
WORKERS = int(os.environ.get("ASIRIA_BENCH_CONCURRENT_WORKERS", "8"))
PRODUCTS = 300
LAYOUTS = ("chain", "chain_own_products", "separate")


def seed_organisation(label: str, stores: int) -> tuple[object, list[object]]:
    """An organisation with ``PRODUCTS`` products and ``stores`` stores, each with a cashier
    and one enrolled till. Returns the organisation's products and one entry per till."""
    from cloud_api.accounts.models import Role
    from cloud_api.accounts.services import (
        organisation_create,
        store_create,
        terminal_create,
        terminal_enroll,
        user_create,
    )
    from cloud_api.catalog.models import Product, TaxClass
    from cloud_api.sales.receipts import terminal_prefix

    organisation = organisation_create(name=f"Bench {label}")
    owner = user_create(
        actor=None,
        organisation=organisation,
        name="Owner",
        email=f"owner@{label}.example",
        role=Role.OWNER,
        password="Bench-Owner-Pass-2026",
    )
    standard = TaxClass.objects.get(organisation=organisation, code="standard")
    products = Product.objects.bulk_create(
        Product(
            organisation=organisation,
            name=f"Bench product {index:04d}",
            barcode=None,
            price_cents=1000 + index * 17,
            tax_class=standard,
        )
        for index in range(PRODUCTS)
    )
    tills = []
    for number in range(stores):
        store = store_create(organisation=organisation, name=f"Store {number:02d}")
        cashier = user_create(
            actor=None,
            organisation=organisation,
            name=f"Cashier {number}",
            email=f"cashier{number}@{label}.example",
            role=Role.CASHIER,
            password="Bench-Cashier-Pass-2026",
            store=store,
            pin="1234",
        )
        _, code = terminal_create(store=store, name="Till", created_by=owner)
        terminal, client_id, secret = terminal_enroll(code=code, name="Till")
        tills.append(
            {
                "cashier": str(cashier.uuid),
                "client_id": client_id,
                "secret": secret,
                "prefix": terminal_prefix(terminal),
            }
        )
    return products, tills


def seed() -> dict[str, list[dict]]:
    """Each layout's tills, each till with the products it sells."""
    layouts: dict[str, list[dict]] = {}
    products, tills = seed_organisation("chain", STORES)
    layouts["chain"] = [{**till, "products": products} for till in tills]
    products, tills = seed_organisation("ownproducts", STORES)
    share = PRODUCTS // STORES
    layouts["chain_own_products"] = [
        {**till, "products": products[n * share : (n + 1) * share]} for n, till in enumerate(tills)
    ]
    layouts["separate"] = []
    for number in range(STORES):
        products, tills = seed_organisation(f"separate{number:02d}", 1)
        layouts["separate"].append({**tills[0], "products": products})
    return layouts


def lock_counters() -> dict[str, int]:
    import pymysql

    connection = pymysql.connect(host="127.0.0.1", user="root", password="", port=3306)
    with connection.cursor() as cursor:
        cursor.execute(
            "SHOW GLOBAL STATUS WHERE Variable_name IN "
            "('Innodb_row_lock_waits', 'Innodb_row_lock_time', 'Innodb_deadlocks')"
        )
        counters = {name: int(value) for name, value in cursor.fetchall()}
    connection.close()
    return counters


class Till(threading.Thread):
    """One till pushing its batches one after another, as a busy till's sync loop does."""

    def __init__(self, base: str, till: dict, batches: list[list[dict]], go: threading.Event):
        super().__init__(daemon=True)
        from asiria_desktop.sync.client import HttpCloudClient

        self.client = HttpCloudClient(base, till["client_id"], till["secret"])
        self.batches = batches
        self.go = go
        self.latencies_ms: list[float] = []
        self.resent = 0
        self.duplicate = 0
        self.error: str | None = None

    def run(self) -> None:
        from asiria_desktop.sync.client import CloudUnavailable

        self.go.wait()
        try:
            for batch in self.batches:
                # A push's latency is the till's: from its first send to an answer, resends
                # included (after a 503 "busy" or a read timeout, the till sends it again).
                start = time.perf_counter()
                resent = False
                while True:
                    try:
                        results = self.client.push(batch)
                    except CloudUnavailable as exc:
                        self.resent += 1
                        resent = True
                        time.sleep(exc.retry_after or 1.0)
                        continue
                    self.latencies_ms.append((time.perf_counter() - start) * 1000)
                    break
                # "duplicate": the server holds the sale (a resend of a push it did apply, or
                # its own rerun of a batch that had committed); counted, and checked below.
                if not resent:
                    self.duplicate += sum(r.status == "duplicate" for r in results)
                bad = [r for r in results if r.status not in ("applied", "duplicate")]
                if bad or len(results) != len(batch):
                    self.error = f"push not applied: {bad[:2]}"
                    return
        except Exception as exc:  # any failure: reported by the main thread
            self.error = repr(exc)
        finally:
            self.client.close()


def sale(till: dict, index: int) -> dict:
    """A 3-line sale of this till's products, numbered in the till's own series."""
    payload = sale_payload(till["products"], till["cashier"], index)
    payload["receipt_no"] = f"{till['prefix']}{index:09d}"
    return payload


def warm_up(base: str, tills: list[dict], counter: list[int]) -> None:
    """One single-sale push per till, untimed: its token, connection and first-push costs."""
    from asiria_desktop.sync.client import HttpCloudClient

    for till in tills:
        client = HttpCloudClient(base, till["client_id"], till["secret"])
        counter[0] += 1
        client.push(envelopes([sale(till, counter[0])]))
        till["token_client"] = client


@dataclass
class Figures:
    """One layout's pushes: over one round, or added up over all rounds."""

    seconds: float = 0.0
    sales: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    resent: int = 0
    duplicate: int = 0
    lock_waits: int = 0
    lock_ms: int = 0
    deadlocks: int = 0

    def add(self, other: Figures) -> None:
        self.seconds += other.seconds
        self.sales += other.sales
        self.latencies_ms += other.latencies_ms
        self.resent += other.resent
        self.duplicate += other.duplicate
        self.lock_waits += other.lock_waits
        self.lock_ms += other.lock_ms
        self.deadlocks += other.deadlocks

    @property
    def rate(self) -> float:
        return self.sales / self.seconds

    def line(self) -> str:
        return (
            f"{self.sales} sales in {self.seconds:.2f} s = {self.rate:.0f} sales/s, "
            f"p50 {statistics.median(self.latencies_ms):.0f} ms, "
            f"p99 {percentile(self.latencies_ms, 99):.0f} ms, row-lock waits {self.lock_waits} "
            f"({self.lock_ms} ms), deadlocks {self.deadlocks}, pushes sent again {self.resent}, "
            f"sales answered duplicate to a first send {self.duplicate}"
        )


def run_layout(base: str, tills: list[dict], counter: list[int]) -> Figures:
    go = threading.Event()
    threads = []
    for till in tills:
        batches = []
        for _ in range(BATCHES):
            first = counter[0]
            counter[0] += BATCH
            batches.append(envelopes([sale(till, first + i) for i in range(BATCH)]))
        thread = Till(base, till, batches, go)
        # Reuse the warmed client's token so the timed pushes never fetch one.
        warmed = till["token_client"]
        thread.client._token, thread.client._token_until = warmed._token, warmed._token_until
        threads.append(thread)
    for thread in threads:
        thread.start()
    before = lock_counters()
    start = time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    after = lock_counters()
    errors = [thread.error for thread in threads if thread.error]
    if errors:
        raise SystemExit(f"pushes failed: {errors[:3]}")
    return Figures(
        seconds=elapsed,
        sales=len(tills) * BATCHES * BATCH,
        latencies_ms=[ms for thread in threads for ms in thread.latencies_ms],
        resent=sum(thread.resent for thread in threads),
        duplicate=sum(thread.duplicate for thread in threads),
        lock_waits=after["Innodb_row_lock_waits"] - before["Innodb_row_lock_waits"],
        lock_ms=after["Innodb_row_lock_time"] - before["Innodb_row_lock_time"],
        deadlocks=after["Innodb_deadlocks"] - before["Innodb_deadlocks"],
    )


def check_stored(sent: int) -> None:
    """Every sale sent is stored once, and every layout's aggregates equal its raw sales."""
    from cloud_api.accounts.models import Organisation
    from cloud_api.reporting.rebuild import aggregates_differences
    from cloud_api.sales.models import Sale

    if Sale.objects.count() != sent:
        raise SystemExit(f"{Sale.objects.count()} sales stored, {sent} sent")
    for organisation_id in Organisation.objects.values_list("pk", flat=True):
        differences = aggregates_differences(organisation_id)
        if differences:
            raise SystemExit(f"aggregates differ from the raw sales: {differences[:3]}")


def main() -> None:
    fresh_database()
    django_here()
    layouts = seed()
    server, base = start_server(workers=WORKERS)
    counter = [0]
    totals = {name: Figures() for name in LAYOUTS}
    try:
        for tills in layouts.values():
            warm_up(base, tills, counter)
        # An untimed round first: a layout's first concurrent pushes pay for cold pages and
        # caches (the first round ran up to three times slower than the next ones).
        for name in LAYOUTS:
            run_layout(base, layouts[name], counter)
        for round_no in range(ROUNDS):
            # Each round starts with the next layout, so none always follows the same one.
            for step in range(len(LAYOUTS)):
                name = LAYOUTS[(round_no + step) % len(LAYOUTS)]
                figures = run_layout(base, layouts[name], counter)
                totals[name].add(figures)
                print(f"round {round_no + 1} {name}: {figures.line()}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    check_stored(counter[0])
    print(
        f"{STORES} stores, one till each, {BATCHES} pushes of {BATCH} sales a till, "
        f"{ROUNDS} rounds, gunicorn {WORKERS} sync workers, database {ENV['DATABASE_URL']}"
    )
    prefix = "sync.push.concurrent_stores"
    names = {"chain": "", "chain_own_products": ".own_products", "separate": ".baseline"}
    for name in LAYOUTS:
        total = totals[name]
        print(f"{name}: {total.line()}")
        emit(f"{prefix}{names[name]}.sales_per_s", total.rate, "sales/s")
        emit(f"{prefix}{names[name]}.p50", statistics.median(total.latencies_ms), "ms")
        emit(f"{prefix}{names[name]}.p99", percentile(total.latencies_ms, 99), "ms")
        emit(f"{prefix}{names[name]}.row_lock_waits", total.lock_waits, "waits")
        emit(f"{prefix}{names[name]}.row_lock_ms", total.lock_ms, "ms")
        emit(f"{prefix}{names[name]}.deadlocks", total.deadlocks, "deadlocks")
        emit(f"{prefix}{names[name]}.resent", total.resent, "pushes")
        emit(f"{prefix}{names[name]}.duplicate_first_send", total.duplicate, "sales")
    baseline = totals["separate"].rate
    emit(f"{prefix}.ratio_vs_baseline", totals["chain"].rate / baseline, "x")
    emit(
        f"{prefix}.own_products.ratio_vs_baseline",
        totals["chain_own_products"].rate / baseline,
        "x",
    )


if __name__ == "__main__":
    main()
