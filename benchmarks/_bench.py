"""Shared helpers for benchmark scripts: timing, percentiles and the BENCH output line.

Every figure is printed for people and as one machine-readable line
`BENCH <name> <value> <unit>` (see ARCHITECTURE.md section 9).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable


def percentile(samples: Iterable[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of the samples."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def time_calls_ms(fn: Callable[[], object], repeat: int, warmup: int = 5) -> list[float]:
    """Wall time of each call of fn, in milliseconds, after a few warm-up calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def emit(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.3f} {unit}", flush=True)


def emit_latency(name: str, samples_ms: list[float]) -> None:
    """Prints median and p99 of latency samples (ms) for people, then as BENCH lines."""
    p50 = statistics.median(samples_ms)
    p99 = percentile(samples_ms, 99)
    print(f"{name}: n={len(samples_ms)} median={p50:.3f} ms p99={p99:.3f} ms", flush=True)
    emit(f"{name}.p50", p50, "ms")
    emit(f"{name}.p99", p99, "ms")
