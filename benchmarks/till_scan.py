"""Scan to cart line: ``SaleSession.scan`` of an EAN-13 against a 100,000-product catalog.

Each scan parses the code, looks the product up in SQLite (barcode index) and adds the line to
the in-memory cart, exactly as the till does when the scanner sends a code. The cart is emptied
(``cancel``, not timed) every 20 scans, so it stays the size of a real basket.

Target: p99 <= 5 ms. Run: ``python benchmarks/till_scan.py``.
"""

from __future__ import annotations

import random

import _till_catalog as tc
from _bench import emit_latency, time_calls_ms

SCANS = 3000
BASKET = 20


def main() -> None:
    rng = random.Random(7)
    tc.print_machine()
    with tc.catalog_dir() as catalog:
        till = tc.open_till(catalog.data_dir)
        try:
            tc.login(till)
            session = till.services.sale
            codes = iter([rng.choice(catalog.barcodes) for _ in range(SCANS + 10)])
            misses = 0

            def scan() -> None:
                nonlocal misses
                if not session.scan(next(codes)).added:
                    misses += 1

            timed = tc.CpuClock(scan)
            samples: list[float] = []
            for batch in range(SCANS // BASKET):
                samples += time_calls_ms(timed, BASKET, warmup=10 if batch == 0 else 0)
                session.cancel()
            if misses:
                raise SystemExit(f"{misses} scans did not add a line")
            print(f"{len(samples)} scans of random barcodes, baskets of {BASKET} lines")
            emit_latency("till.scan", samples)
            timed.report("till.scan")
            print("target: till.scan.p99 <= 5 ms")
        finally:
            till.close()


if __name__ == "__main__":
    main()
