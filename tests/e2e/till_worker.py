"""A real till in a child process, driven by the end-to-end tests.

Usage: ``python till_worker.py COMMAND DATA_DIR [options]``

- ``enroll DATA_DIR --server URL --code CODE --name NAME``: enrol (``SyncService.enroll``) and run
  a first sync, so the catalog, the cashier and the store's codes are on the till; prints
  ``SYNCED <ok> <outcome>``.
- ``sell DATA_DIR --count N --seed S [--barcodes a,b,c] [--clock ...] [--sync-each]``: log in as
  the pulled cashier and complete N sales (random products and quantities, split tenders),
  printing ``SALE <sale id> <total cents>`` after each ``complete()`` returns. With
  ``--sync-each`` the engine pushes right after each sale on this thread (the real-time case),
  printing ``PUSHED <sale id> <ok>``. ``--customer PHONE`` attaches that customer to each sale,
  agreeing to WhatsApp and asking for the receipt there.
- ``push-loop DATA_DIR [--clock ...]``: ``SyncEngine.sync_now()`` in a loop until nothing is
  pending,
  printing ``SYNC <ok> <outcome> <pushed> <duplicates> <pending>`` after each; the parent
  SIGKILLs it at random moments. ``--batch-size`` makes the pusher send smaller batches (more
  moments to be killed between a batch's answer and its bookkeeping); ``--min-seconds S`` keeps
  it syncing (pulling) for at least S seconds, e.g. while other tills push.
- ``sell ... --scheduler``: the till's own scheduler runs (as in the window): each sale triggers
  a push in the background; after the last sale it waits until nothing is unsent.
- ``queue-invalid DATA_DIR``: queue one ``sale.completed`` event whose amounts do not add up
  (a copy of the last sale with new ids and a wrong total), as a buggy till version would;
  prints ``INVALID <event id>``.
- ``stock DATA_DIR --products A,B --manager-pin PIN``: the stock screens' calls (a delivery, a
  shelf count, a damaged write-off with the manager's PIN), then one sync; prints
  ``RECEIVED``, ``LEVEL``, ``ADJUSTED`` and ``SYNCED`` lines.

``--clock`` is ``offset:SECONDS`` (the machine's time plus SECONDS) or ``epoch:ISO`` (the clock
starts at ISO and runs at normal speed): a till whose clock is wrong.
The secret goes to the data folder (no keyring in a test), ``till.toml`` is never read.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

CASHIER_PIN = "2468"
MPESA_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


class SkewedClock:
    def __init__(self, spec: str) -> None:
        kind, _, value = spec.partition(":")
        self._start = time.monotonic()
        if kind == "offset":
            self._offset = timedelta(seconds=float(value))
            self._epoch: datetime | None = None
        elif kind == "epoch":
            self._offset = timedelta(0)
            self._epoch = datetime.fromisoformat(value)
        else:
            raise SystemExit(f"bad --clock {spec!r}")

    def now(self) -> datetime:
        if self._epoch is not None:
            return self._epoch + timedelta(seconds=time.monotonic() - self._start)
        return datetime.now().astimezone() + self._offset


def open_till(data_dir: Path, clock: str | None) -> Any:
    from dataclasses import replace

    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import load_config

    config = load_config(data_dir=data_dir, config_file=data_dir / "no-such.toml", environ={})
    kwargs: dict[str, Any] = {}
    if clock:
        kwargs["clock"] = SkewedClock(clock)
    return build_till(replace(config, scan_debounce_ms=0), **kwargs)


def cmd_enroll(till: Any, args: argparse.Namespace) -> int:
    till.services.sync.enroll(args.server, args.code, args.name)
    report = till.sync_engine.sync_now()
    print(f"SYNCED {report.ok} {report.outcome} {report.message!r}", flush=True)
    return 0 if report.ok else 1


def cmd_sell(till: Any, args: argparse.Namespace) -> int:
    services = till.services
    if args.scheduler:
        till.start_sync()
    services.auth.login(CASHIER_PIN)
    if services.sale.leftover_sale() is not None:
        services.sale.restore_leftover()  # the sale a kill cut off: the first sale finishes it
    barcodes = args.barcodes.split(",")
    rng = random.Random(args.seed)
    for _ in range(args.count):
        sale = services.sale
        for _ in range(rng.randint(1, 4)):
            outcome = sale.scan(rng.choice(barcodes))
            assert outcome.added, outcome.message
            if rng.random() < 0.3 and outcome.line_id is not None:
                sale.set_qty(outcome.line_id, rng.randint(2, 5))
        if args.customer:
            services.customers.attach(
                args.customer, "E2E Customer", whatsapp_consent=True, digital_receipt=True
            )
        due = sale.view().balance_due_cents
        if due > 1 and rng.random() < 0.3:
            due = sale.add_payment("card", rng.randint(1, due - 1)).balance_due_cents
        if due > 1 and rng.random() < 0.3:
            code = "".join(rng.choice(MPESA_ALPHABET) for _ in range(10))
            due = sale.add_payment("mpesa", rng.randint(1, due - 1), code).balance_due_cents
        if due:
            sale.add_payment("cash", due + rng.choice((0, 0, 50, 1000)))
        result = sale.complete()
        print(f"SALE {result.sale_id} {result.total_cents}", flush=True)
        if args.sync_each:
            report = till.sync_engine.sync_now()
            print(f"PUSHED {result.sale_id} {report.ok} {report.outcome}", flush=True)
        if args.pause_ms:
            time.sleep(args.pause_ms / 1000)
    if args.scheduler:
        deadline = time.monotonic() + 60
        while till.sync_engine.status().unsent_events and time.monotonic() < deadline:
            time.sleep(0.1)
        print(f"UNSENT {till.sync_engine.status().unsent_events}", flush=True)
    return 0


def cmd_queue_invalid(till: Any, _args: argparse.Namespace) -> int:
    import json
    import sqlite3
    from datetime import UTC

    ids = till.context.ids
    conn = sqlite3.connect(str(till.config.database_path))
    try:  # the last sale.completed event, as the till queued it
        (raw,) = conn.execute(
            "SELECT payload FROM outbox WHERE type = 'sale.completed' ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    with till.context.uow() as uow:
        payload = json.loads(raw)
        payload["id"] = ids()
        prefix, _, number = payload["receipt_no"].rpartition("-")
        payload["receipt_no"] = f"{prefix}-9{number}"  # unused, and well-formed
        for item in payload["lines"] + payload["payments"]:
            item["id"] = ids()
        payload["total_cents"] += 1  # no longer the sum of the lines
        entry = uow.outbox.append("sale.completed", payload, datetime.now(UTC))
        uow.commit()
    print(f"INVALID {entry.id}", flush=True)
    return 0


def cmd_push_loop(till: Any, args: argparse.Namespace) -> int:
    if args.batch_size:
        till.sync_engine._pusher._batch_size = args.batch_size
    until = time.monotonic() + args.min_seconds
    for _ in range(args.max_rounds):
        report = till.sync_engine.sync_now()
        print(
            f"SYNC {report.ok} {report.outcome} {report.pushed} {report.duplicates} "
            f"{report.pending}",
            flush=True,
        )
        if report.ok and report.pending == 0 and time.monotonic() >= until:
            return 0
        time.sleep(args.pause_ms / 1000)
    return 1


def cmd_stock(till: Any, args: argparse.Namespace) -> int:
    """The stock screens' calls: a delivery of ``--products`` A, B (20 + 4 of A, 12 of B), a
    shelf count of A (520) and damaged B (-3), each adjustment with the manager's PIN."""
    import json

    from asiria_desktop.domain.errors import ApprovalRequired
    from asiria_desktop.services.results import StockEntry

    services = till.services
    stock = services.stock
    first, second = args.products.split(",")
    services.auth.login(CASHIER_PIN)
    received = stock.receive(
        [StockEntry(first, "20"), StockEntry(second, "12"), StockEntry(first, "4")],
        "Bidco Africa",
        "DN-4471",
    )
    print("RECEIVED", json.dumps({"id": received.record_id, "message": received.message}))
    on_hand = stock.level(first)
    print("LEVEL", first, on_hand.on_hand_milli, on_hand.known, flush=True)

    def with_manager(call: Any) -> Any:
        try:
            return call(None)
        except ApprovalRequired as asked:
            return call(services.auth.approve(args.manager_pin, asked.action))

    counted = with_manager(
        lambda a: stock.adjust(
            [StockEntry(first, "520")], "count_correction", counted=True, approval=a
        )
    )
    changed = with_manager(
        lambda a: stock.adjust([StockEntry(second, "-3")], "damaged", "crushed", approval=a)
    )
    print("ADJUSTED", json.dumps([counted.record_id, changed.record_id]))
    report = till.sync_engine.sync_now()
    print("SYNCED", report.ok, report.outcome, flush=True)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "command", choices=("enroll", "sell", "push-loop", "queue-invalid", "stock")
    )
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--server")
    parser.add_argument("--code")
    parser.add_argument("--name", default="Till")
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--barcodes", default="")
    parser.add_argument("--clock")
    parser.add_argument("--sync-each", action="store_true")
    parser.add_argument("--pause-ms", type=float, default=0.0)
    parser.add_argument("--max-rounds", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=0)
    parser.add_argument("--min-seconds", type=float, default=0.0)  # push-loop: keep syncing
    parser.add_argument("--scheduler", action="store_true")
    parser.add_argument("--products", default="")  # stock: two product ids, comma-separated
    parser.add_argument("--manager-pin", default="")
    parser.add_argument("--customer", default="")  # sell: attach this phone, WhatsApp receipt
    args = parser.parse_args(argv)
    # No OS keyring in a test: the secret goes to <data dir>/terminal-secret (0600).
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    till = open_till(args.data_dir, args.clock)
    print("READY", flush=True)
    try:
        command = {
            "enroll": cmd_enroll,
            "sell": cmd_sell,
            "push-loop": cmd_push_loop,
            "queue-invalid": cmd_queue_invalid,
            "stock": cmd_stock,
        }
        return command[args.command](till, args)
    finally:
        till.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
