"""Type-ahead search: ``CatalogService.search`` on a 100,000-product catalog.

Queries are what a cashier types into the search box: 1-4 letter prefixes (each key press of
the type-ahead), whole words and two-word prefixes ("sug bro"), 20 results each, through the
service (FTS5 prefix query + exact barcode/SKU check + ordering + views), as the UI calls it.

Target: p99 <= 15 ms. Run: ``python benchmarks/till_search.py``.
"""

from __future__ import annotations

import random
import statistics

import _till_catalog as tc
from _bench import emit_latency, percentile, time_calls_ms

QUERIES = 2000


def main() -> None:
    rng = random.Random(11)
    tc.print_machine()
    with tc.catalog_dir() as catalog:
        till = tc.open_till(catalog.data_dir)
        try:
            search = till.services.catalog.search
            queries = tc.search_queries(rng, QUERIES + 10)
            pending = iter(queries)
            by_length: dict[int, list[float]] = {}
            empty = 0

            def one() -> None:
                nonlocal empty
                text = next(pending)
                if not search(text, 20):
                    empty += 1

            timed = tc.CpuClock(one)
            samples = time_calls_ms(timed, QUERIES, warmup=10)
            for text, ms in zip(queries[10:], samples, strict=True):
                by_length.setdefault(min(len(text), 5), []).append(ms)
            print(f"{QUERIES} searches ({empty} found nothing), 20 results each")
            for length, values in sorted(by_length.items()):
                label = f"{length} letters" if length < 5 else "5+ letters / two words"
                print(
                    f"  {label:>22}: n={len(values):4d} median={statistics.median(values):.3f} ms "
                    f"p99={percentile(values, 99):.3f} ms"
                )
            emit_latency("till.search", samples)
            timed.report("till.search")
            print("target: till.search.p99 <= 15 ms")
        finally:
            till.close()


if __name__ == "__main__":
    main()
