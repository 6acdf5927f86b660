"""Frequently bought together: pairwise association rules from baskets (pure computation).

A rule ``A -> B`` over ``N`` baskets, with ``n(A)`` baskets holding A and ``n(AB)`` holding
both: support = n(AB) / N, confidence = n(AB) / n(A), lift = confidence / (n(B) / N).

Only pairs are mined: the till's hint names one product for the one being sold, which is
what a size-2 itemset gives, and apriori's second level is exactly this count. Counting each
basket's pairs once (``Counter`` over ``combinations``) is one pass over the data; the
benchmark ``benchmarks/analytics_basket.py`` measures it against the textbook candidate scan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Generic, TypeVar

Item = TypeVar("Item", bound=Hashable)

# Baskets with more distinct products than this are skipped: a stock-up of 80 products says
# nothing about what goes together, and its 3,160 pairs would cost more than 500 small sales.
MAX_BASKET_ITEMS = 40


@dataclass(frozen=True)
class Rule(Generic[Item]):
    antecedent: Item
    consequent: Item
    pair_count: int
    antecedent_count: int
    consequent_count: int
    baskets: int

    @property
    def support(self) -> float:
        return self.pair_count / self.baskets

    @property
    def confidence(self) -> float:
        return self.pair_count / self.antecedent_count

    @property
    def lift(self) -> float:
        return self.confidence * self.baskets / self.consequent_count


@dataclass(frozen=True)
class Thresholds:
    min_pair_count: int = 3  # fewer baskets than this together is chance, not a habit
    min_support: float = 0.001
    min_confidence: float = 0.05
    min_lift: float = 1.0  # strictly above: "bought together more than by chance"


def pair_counts(
    baskets: Iterable[Iterable[Item]],
) -> tuple[int, Counter[Item], Counter[tuple[Item, Item]]]:
    """(baskets counted, baskets per item, baskets per unordered pair). Duplicates inside a
    basket count once; empty and oversized baskets are skipped."""
    total = 0
    singles: Counter[Item] = Counter()
    pairs: Counter[tuple[Item, Item]] = Counter()
    for basket in baskets:
        items = sorted(set(basket), key=repr)
        if not items or len(items) > MAX_BASKET_ITEMS:
            continue
        total += 1
        singles.update(items)
        pairs.update(combinations(items, 2))
    return total, singles, pairs


def association_rules(
    baskets: Iterable[Iterable[Item]], thresholds: Thresholds | None = None
) -> list[Rule[Item]]:
    """Both directions of every pair that passes the thresholds, best lift first (ties: the
    more frequent pair first, so the order is stable)."""
    limits = thresholds or Thresholds()
    total, singles, pairs = pair_counts(baskets)
    rules: list[Rule[Item]] = []
    for (first, second), together in pairs.items():
        if together < limits.min_pair_count or together / total < limits.min_support:
            continue
        for antecedent, consequent in ((first, second), (second, first)):
            rule = Rule(
                antecedent,
                consequent,
                together,
                singles[antecedent],
                singles[consequent],
                total,
            )
            if rule.confidence >= limits.min_confidence and rule.lift > limits.min_lift:
                rules.append(rule)
    rules.sort(key=lambda r: (-r.lift, -r.pair_count, -r.confidence, repr(r.antecedent)))
    return rules
