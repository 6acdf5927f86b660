"""Completing a sale: the durable commit behind the Pay button, against a bare SQLite baseline.

* ``till.complete_sale``: ``SaleSession.complete()`` of a 3-line sale paid in cash, on the real
  till database (WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE``; 100,000-product catalog). The
  lines and the payment are added before the clock starts; the call commits sale + lines +
  payment + stock movements + outbox event in one transaction, then renders and "prints" the
  receipt (simulated printer: a text file) and kicks the simulated drawer.
* ``till.sqlite_bare``: the same rows as the till wrote for such a sale (sale header with its
  JSON record, 3 lines, 1 payment, 1 outbox row), inserted with the plain ``sqlite3`` module on
  its own connection to the same file with the same pragmas (WAL, ``synchronous=FULL``),
  ``BEGIN IMMEDIATE`` ... ``COMMIT``. ``till.sqlite_bare_full`` adds what ``complete()`` also
  writes (3 stock movements, the receipt and outbox counters).
* ``till.complete_sale.ratio_vs_bare``: p99 of the till over p99 of the bare baseline.

Both are measured in the same run, alternating blocks, so disk and load conditions are shared.
Targets: complete_sale p99 <= 20 ms, ratio <= 2x. ``--profile`` adds a cProfile of
``complete()``. Run: ``python benchmarks/till_complete_sale.py``.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import sqlite3
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import _till_catalog as tc
from _bench import emit, emit_latency, percentile, time_calls_ms

BLOCKS = 15
PER_BLOCK = 20


class BareWriter:
    """Inserts copies of one till-written sale's rows with the plain sqlite3 module."""

    def __init__(self, path: Path, sale_id: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.sale = self._row("SELECT * FROM sales WHERE id=?", sale_id)[0]
        self.lines = self._row(
            "SELECT * FROM sale_lines WHERE sale_id=? ORDER BY position", sale_id
        )
        self.payments = self._row("SELECT * FROM sale_payments WHERE sale_id=?", sale_id)
        self.outbox = self._row(
            "SELECT * FROM outbox WHERE type='sale.completed' AND payload LIKE ?", f'%"{sale_id}"%'
        )[0]
        self.stock = self._row("SELECT * FROM stock_movements WHERE ref_id=?", sale_id)
        self.n = 0

    def _row(self, sql: str, arg: str) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, (arg,))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))

    def write(self, full: bool) -> None:
        self.n += 1
        sale_id = str(uuid.uuid4())
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        if full:
            conn.execute("UPDATE sequences SET value = value + 1 WHERE name = 'receipt'")
        self._insert("sales", {**self.sale, "id": sale_id, "receipt_no": f"BARE-{self.n:08d}"})
        for line in self.lines:
            self._insert("sale_lines", {**line, "id": str(uuid.uuid4()), "sale_id": sale_id})
        for payment in self.payments:
            self._insert("sale_payments", {**payment, "id": str(uuid.uuid4()), "sale_id": sale_id})
        if full:
            for movement in self.stock:
                self._insert(
                    "stock_movements", {**movement, "id": str(uuid.uuid4()), "ref_id": sale_id}
                )
            conn.execute("UPDATE sequences SET value = value + 1 WHERE name = 'outbox'")
        # Negative sequence numbers keep the baseline's rows out of the till's own numbering.
        self._insert("outbox", {**self.outbox, "id": str(uuid.uuid4()), "seq": -self.n})
        conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def main(argv: list[str]) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    rng = random.Random(3)
    tc.print_machine()
    with tc.catalog_dir() as catalog:
        till = tc.open_till(catalog.data_dir)
        try:
            tc.login(till)
            session = till.services.sale
            committed_at: list[float] = []
            event.listen(
                Session, "after_commit", lambda _s: committed_at.append(time.perf_counter())
            )

            def ring_up() -> None:
                for code in rng.sample(catalog.barcodes, 3):
                    session.scan(code)
                session.add_payment("cash", session.view().balance_due_cents + 5000)

            for _ in range(10):  # warm-up (and a sale whose rows the bare writer copies)
                ring_up()
                first = session.complete()
            bare = BareWriter(catalog.data_dir / "till.sqlite3", first.sale_id)
            bare.write(full=False)
            till_ms: list[float] = []
            commit_ms: list[float] = []
            cpu_ms: list[float] = []
            bare_ms: list[float] = []
            bare_full_ms: list[float] = []
            bare_cpu = tc.CpuClock(lambda: bare.write(full=False))
            for _block in range(BLOCKS):
                for _ in range(PER_BLOCK):
                    ring_up()  # not timed: the cashier scanning and taking the cash
                    cpu0, start = time.thread_time(), time.perf_counter()
                    session.complete()
                    end, cpu1 = time.perf_counter(), time.thread_time()
                    till_ms.append((end - start) * 1000)
                    commit_ms.append((committed_at[-1] - start) * 1000)
                    cpu_ms.append((cpu1 - cpu0) * 1000)
                bare_ms += time_calls_ms(bare_cpu, PER_BLOCK, warmup=0)
                bare_full_ms += time_calls_ms(lambda: bare.write(full=True), PER_BLOCK, warmup=0)
            bare.close()
            print(f"{len(till_ms)} sales of 3 lines paid in cash, alternating with bare inserts")
            emit_latency("till.complete_sale", till_ms)
            print(
                "  of which until the commit returned: "
                f"median {statistics.median(commit_ms):.3f} ms "
                f"p99 {percentile(commit_ms, 99):.3f} ms (the rest: receipt, printer, drawer)"
            )
            print(
                f"  CPU time of the calling thread: median {statistics.median(cpu_ms):.3f} ms "
                f"p99 {percentile(cpu_ms, 99):.3f} ms (wall minus CPU: fsync and scheduling); "
                f"bare: median {statistics.median(bare_cpu.samples):.3f} ms"
            )
            emit("till.complete_sale.cpu_p50", statistics.median(cpu_ms), "ms")
            emit_latency("till.sqlite_bare", bare_ms)
            emit_latency("till.sqlite_bare_full", bare_full_ms)
            ratio = percentile(till_ms, 99) / percentile(bare_ms, 99)
            ratio_p50 = statistics.median(till_ms) / statistics.median(bare_ms)
            print(f"ratio of p99s {ratio:.2f}x, of medians {ratio_p50:.2f}x")
            emit("till.complete_sale.ratio_vs_bare", ratio, "x")
            emit("till.complete_sale.ratio_vs_bare_p50", ratio_p50, "x")
            print("targets: till.complete_sale.p99 <= 20 ms, ratio_vs_bare <= 2 x")
            if "--profile" in argv:
                profile(session, ring_up)
        finally:
            till.close()


def profile(session: Any, ring_up: Any) -> None:
    profiler = cProfile.Profile()
    for _ in range(200):
        ring_up()
        profiler.enable()
        session.complete()
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    print(out.getvalue())


if __name__ == "__main__":
    main(sys.argv[1:])
