"""Frequently bought together on a real bakery's POS log (BreadBasket): the rules the nightly
job would store, the top ones printed, and how fast the pair counting is.

    python benchmarks/analytics_basket.py

Prints the top rules (by lift, then by how many baskets back them) and:
    BENCH analytics.basket.top_lift          the best rule's lift (x); forecast_backtest prints
                                             the same figure as forecast.basket.top_lift
    BENCH analytics.basket.rules             rules passing the job's thresholds
    BENCH analytics.basket.mine_ms           mining all baskets with the job's code (one pass)
    BENCH analytics.basket.candidate_scan_ms the textbook apriori level-2 candidate scan (every
                                             pair of frequent items checked against every
                                             basket), the baseline, measured in the same run
    BENCH analytics.basket.speedup_vs_candidate_scan  baseline / ours (x)

The data set is read with a small loader here (one row per unit; ``NONE`` rows are empty lines
the old till recorded). ``ASIRIA_BREADBASKET`` points at the folder if it is not at
``../shared/datasets/breadbasket``; ``ASIRIA_BENCH_BASKET_ROWS`` reads only the first rows.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks._bench import emit  # noqa: E402
from cloud_api.analytics.basket import Thresholds, association_rules, pair_counts  # noqa: E402

TOP = 10


def dataset_file() -> Path:
    named = os.environ.get("ASIRIA_BREADBASKET")
    candidates = [Path(named)] if named else []
    candidates += [
        REPO.parent / "shared" / "datasets" / "breadbasket",
        REPO.parents[1] / "shared" / "datasets" / "breadbasket",
    ]
    for folder in candidates:
        if (folder / "BreadBasket_DMS.csv").is_file():
            return folder / "BreadBasket_DMS.csv"
    raise SystemExit(f"BreadBasket_DMS.csv not found in {[str(c) for c in candidates]}")


def load_baskets(path: Path, limit: int | None) -> list[list[str]]:
    baskets: dict[str, list[str]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            if limit is not None and number >= limit:
                break
            item = row["Item"].strip()
            if item and item.upper() != "NONE":
                baskets[row["Transaction"]].append(item)
    return list(baskets.values())


def candidate_scan(baskets: list[list[str]], min_count: int) -> dict[tuple[str, str], int]:
    """Apriori's second level as textbooks write it: frequent items, every pair of them a
    candidate, each candidate counted by checking every basket."""
    sets = [set(basket) for basket in baskets]
    counts: dict[str, int] = defaultdict(int)
    for basket in sets:
        for item in basket:
            counts[item] += 1
    frequent = sorted(item for item, count in counts.items() if count >= min_count)
    pairs = {}
    for first, second in combinations(frequent, 2):
        together = sum(1 for basket in sets if first in basket and second in basket)
        if together >= min_count:
            pairs[(first, second)] = together
    return pairs


def main() -> None:
    limit = os.environ.get("ASIRIA_BENCH_BASKET_ROWS")
    path = dataset_file()
    baskets = load_baskets(path, int(limit) if limit else None)
    thresholds = Thresholds()
    print(f"{path.name}: {len(baskets):,} baskets with items")

    start = time.perf_counter()
    rules = association_rules(baskets, thresholds)
    mine_ms = (time.perf_counter() - start) * 1000

    total, _, pairs = pair_counts(baskets)
    min_count = max(thresholds.min_pair_count, int(thresholds.min_support * total + 0.999999))
    start = time.perf_counter()
    scanned = candidate_scan(baskets, min_count)
    scan_ms = (time.perf_counter() - start) * 1000
    ours = {tuple(sorted(pair)): count for pair, count in pairs.items() if count >= min_count}
    assert ours == {tuple(sorted(p)): c for p, c in scanned.items()}, "the two counts differ"

    print(f"top {TOP} rules (of {len(rules)}): antecedent -> consequent")
    print(f"{'rule':<48} {'support':>8} {'confidence':>10} {'lift':>6} {'baskets':>8}")
    for rule in rules[:TOP]:
        name = f"{rule.antecedent} -> {rule.consequent}"
        print(
            f"{name:<48} {rule.support:>8.4f} {rule.confidence:>10.3f} {rule.lift:>6.2f} "
            f"{rule.pair_count:>8}"
        )
    emit("analytics.basket.top_lift", rules[0].lift if rules else 0.0, "x")
    emit("analytics.basket.rules", len(rules), "rules")
    emit("analytics.basket.mine_ms", mine_ms, "ms")
    emit("analytics.basket.candidate_scan_ms", scan_ms, "ms")
    emit("analytics.basket.speedup_vs_candidate_scan", scan_ms / max(mine_ms, 1e-6), "x")


if __name__ == "__main__":
    main()
