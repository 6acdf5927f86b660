"""Child process of the open-cart crash test: rings up one long sale until it is killed.

Usage: ``python cart_worker.py DATA_DIR SEED [--scans N] [--pause-ms N]``

It opens the till as the application does, logs in as the demo cashier, restores the sale a
previous kill left open (printing ``RESTORED <lines> <total cents>``), prints ``READY`` and then
scans random demo products, never completing the sale. After each ``scan()`` returns it prints
``SCANNED <lines> <total cents>`` and flushes: the cashier has seen the item on screen, so the
till owes it back after a crash. After ``--scans`` scans (0: no limit) it waits to be killed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

DEMO_COUNT_ITEMS = 560  # demo_ean13(1..560): the demo store's items sold by count
CASHIER_PIN = "1111"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("seed", type=int)
    parser.add_argument("--scans", type=int, default=0)
    parser.add_argument("--pause-ms", type=float, default=0.0)
    args = parser.parse_args(argv)

    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import load_config
    from asiria_desktop.demo import demo_ean13

    config = load_config(
        data_dir=args.data_dir, config_file=args.data_dir / "no-such.toml", environ={}
    )
    till = build_till(replace(config, scan_debounce_ms=0))
    sale = till.services.sale
    till.services.auth.login(CASHIER_PIN)
    if sale.leftover_sale() is not None:
        view = sale.restore_leftover()
        print(f"RESTORED {len(view.lines)} {view.total_cents}", flush=True)
    print("READY", flush=True)
    rng = random.Random(args.seed)
    scans = 0
    while args.scans == 0 or scans < args.scans:
        outcome = sale.scan(demo_ean13(rng.randint(1, DEMO_COUNT_ITEMS)))
        assert outcome.added, outcome.message
        view = sale.view()
        print(f"SCANNED {len(view.lines)} {view.total_cents}", flush=True)
        scans += 1
        if args.pause_ms:
            time.sleep(rng.uniform(0, args.pause_ms) / 1000)
    while True:  # the cashier looks away; the till is killed here
        time.sleep(60)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
