"""Child process of the crash test: rings up sales on a real till until it is killed.

Usage: ``python sale_worker.py DATA_DIR SEED [--pause-ms N] [--kill-at-commit N]
[--kill-after-commit N]``

It opens the till exactly as the application does (``build_till(load_config(...))``), logs in as
the demo cashier, prints ``READY`` and then completes sales in a loop: random demo products and
quantities, split tenders (card, M-Pesa, cash with change). After each ``complete()`` returns it
prints ``SALE <sale id> <receipt no> <lines> <payments> <total cents>`` and flushes: that line is
the till's promise that the sale is saved. A sale left open by the previous kill is restored
and finished as the first sale. The parent kills this process at random moments and
checks the promise against the database.

``--kill-at-commit N`` makes the process SIGKILL itself when SQLite is about to run the
``COMMIT`` of sale N (rows written, transaction not committed); ``--kill-after-commit N`` right
after that commit returned, before the sale is reported; ``--kill-in-backup`` in the middle of
the daily backup made at start-up. These are deterministic crash points.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

# The demo store's items sold by count: demo_ean13(1..560) (7 categories x 5 x 4 brands x 4 sizes).
DEMO_COUNT_ITEMS = 560
CASHIER_PIN = "1111"
MPESA_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _die_in_daily_backup() -> None:
    """Make the start-up backup copy one page per step, and die after two steps."""
    import sqlite3

    from asiria_desktop.local_db import health

    class Connection:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self._conn = conn

        def __getattr__(self, name: str) -> Any:
            return getattr(self._conn, name)

        def backup(self, target: Any, **_kwargs: Any) -> None:
            def progress(_status: int, remaining: int, total: int) -> None:
                if total - remaining >= 2:
                    _die()

            real = target._conn if isinstance(target, Connection) else target
            self._conn.backup(real, pages=1, progress=progress)

    class Module:
        def __getattr__(self, name: str) -> Any:
            return getattr(sqlite3, name)

        @staticmethod
        def connect(*args: Any, **kwargs: Any) -> Connection:
            return Connection(sqlite3.connect(*args, **kwargs))

    health.sqlite3 = Module()  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("seed", type=int)
    parser.add_argument("--pause-ms", type=float, default=0.0)
    parser.add_argument("--kill-at-commit", type=int, default=0)
    parser.add_argument("--kill-after-commit", type=int, default=0)
    parser.add_argument("--kill-in-backup", action="store_true")
    args = parser.parse_args(argv)
    if args.kill_in_backup:
        _die_in_daily_backup()

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import load_config
    from asiria_desktop.demo import demo_ean13

    # Hermetic: no user config file, no ASIRIA_* variables of whoever runs the tests.
    config = load_config(
        data_dir=args.data_dir, config_file=args.data_dir / "no-such.toml", environ={}
    )
    till = build_till(replace(config, scan_debounce_ms=0))
    services = till.services
    services.auth.login(CASHIER_PIN)

    armed = {"commit": False, "after": False}
    if args.kill_at_commit:

        def trace(statement: str) -> None:
            if armed["commit"] and statement.strip().upper().startswith("COMMIT"):
                _die()

        @event.listens_for(till.database.engine, "checkout")
        def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            dbapi_connection.set_trace_callback(trace)

    if args.kill_after_commit:

        @event.listens_for(Session, "after_commit")
        def _after_commit(_session: Session) -> None:
            if armed["after"]:
                _die()

    rng = random.Random(args.seed)
    if services.sale.leftover_sale() is not None:
        services.sale.restore_leftover()  # the sale a kill cut off: the first sale finishes it
    print("READY", flush=True)
    sale_no = 0
    while True:
        sale_no += 1
        sale = services.sale
        for _ in range(rng.randint(1, 5)):
            outcome = sale.scan(demo_ean13(rng.randint(1, DEMO_COUNT_ITEMS)))
            assert outcome.added, outcome.message
            if rng.random() < 0.3 and outcome.line_id is not None:
                sale.set_qty(outcome.line_id, rng.randint(1, 12))
        due = sale.view().balance_due_cents
        if due and rng.random() < 0.4:  # part by card
            part = rng.randint(1, due)
            due = sale.add_payment("card", part).balance_due_cents
        if due and rng.random() < 0.4:  # part by M-Pesa
            code = "".join(rng.choice(MPESA_ALPHABET) for _ in range(10))
            due = sale.add_payment("mpesa", rng.randint(1, due), code).balance_due_cents
        if due:  # the rest in cash, often with change
            tendered = due + rng.choice((0, 0, 50, 1000, 5000))
            sale.add_payment("cash", tendered)
        view = sale.view()
        armed["commit"] = sale_no == args.kill_at_commit
        armed["after"] = sale_no == args.kill_after_commit
        result = sale.complete()
        print(
            f"SALE {result.sale_id} {result.receipt_no} {len(view.lines)} "
            f"{len(view.payments)} {result.total_cents}",
            flush=True,
        )
        if args.pause_ms:
            time.sleep(rng.uniform(0, args.pause_ms) / 1000)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
