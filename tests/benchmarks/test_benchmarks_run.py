"""Every benchmark script still runs and prints its figures (``make bench`` is a README command).

Each script runs as ``make bench`` runs it, at a small size so the whole set takes about two
minutes; the figures themselves are not judged here (never a timing assertion in a test), only
that each script ends well and prints the ``BENCH`` lines the docs quote.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
BENCH_LINE = re.compile(r"^BENCH (\S+) (-?[0-9.]+(?:e[-+]?[0-9]+)?) (\S+)$")

# script -> (small sizes, BENCH names it must print)
SMALL: dict[str, tuple[dict[str, str], set[str]]] = {
    "cloud_sales_api": (
        {"ASIRIA_BENCH_SALES": "20"},
        {"cloud.sales.create.1client", "cloud.products.list.cached.p99"},
    ),
    "cloud_sales_summary": (
        {"ASIRIA_BENCH_LINES": "3000"},
        {"cloud.report.sales_summary.month.p50", "cloud.report.sales_summary.90days.p99"},
    ),
    "cloud_reports_scale": (
        {
            "ASIRIA_BENCH_SCALE": "0.01",
            "ASIRIA_BENCH_RAW_LINES": "3000",
            "ASIRIA_BENCH_REPEAT": "3",
            "ASIRIA_BENCH_SCALE_DATABASE_URL": "mysql://root:@127.0.0.1:3306/asiria_bench_scale_test",
        },
        {
            "cloud.report.sales_summary.year_10m.p50",
            "cloud.report.sales_summary.year_10m.by_product.p50",
            "cloud.report.sales_summary.year_10m.by_product_cut_months.p50",
            "cloud.report.aggregates_vs_raw.sales_summary.ratio",
            "cloud.report.aggregates_vs_raw.by_product.ratio",
        },
    ),
    "cloud_dashboard": (
        {"ASIRIA_BENCH_DASHBOARD_LINES": "3000", "ASIRIA_BENCH_DASHBOARD_REPEAT": "3"},
        {
            "cloud.dashboard.baseline_sales_summary.month.p50",
            "cloud.dashboard.overview.month.p50",
            "cloud.dashboard.analytics.month.p50",
            "cloud.dashboard.overview.ratio_vs_summary",
        },
    ),
    "sync_push": (
        {"ASIRIA_BENCH_SYNC_SALES": "600", "ASIRIA_BENCH_SYNC_NAIVE": "10"},
        {
            "sync.push.sales_per_s",
            "sync.push.bare_insert_sales_per_s",
            "sync.push.ratio_vs_bare",
            "sync.push.naive_sales_per_s",
        },
    ),
    "sync_push_concurrent": (
        {
            "ASIRIA_BENCH_CONCURRENT_STORES": "2",
            "ASIRIA_BENCH_CONCURRENT_BATCH": "3",
            "ASIRIA_BENCH_CONCURRENT_BATCHES": "2",
            "ASIRIA_BENCH_CONCURRENT_ROUNDS": "1",
            "ASIRIA_BENCH_CONCURRENT_WORKERS": "2",
            "ASIRIA_BENCH_SYNC_CONCURRENT_DB": "asiria_bench_sync_concurrent_test",
        },
        {
            "sync.push.concurrent_stores.sales_per_s",
            "sync.push.concurrent_stores.baseline.sales_per_s",
            "sync.push.concurrent_stores.ratio_vs_baseline",
            "sync.push.concurrent_stores.deadlocks",
        },
    ),
    "sync_pull": (
        {"ASIRIA_BENCH_SYNC_PRODUCTS": "2000"},
        {"sync.pull.server.first_100k_s", "sync.pull.empty.p50", "sync.pull.empty.p99"},
    ),
    "sync_first_pull": (
        {"ASIRIA_BENCH_SYNC_PRODUCTS": "2000"},
        {"sync.pull.first_100k_s", "sync.pull.empty_ms.p50", "sync.pull.empty_ms.p99"},
    ),
    "sync_latency": (
        {"ASIRIA_BENCH_LATENCY_SALES": "5"},
        {"sync.latency.p50", "sync.latency.p99"},
    ),
    "mpesa_stk": (
        {"ASIRIA_BENCH_MPESA_PROMPTS": "10"},
        {"payments.mpesa.stk_round_trip.p50", "payments.mpesa.stk_round_trip.p99"},
    ),
    "whatsapp_delivery": (
        {"ASIRIA_BENCH_WHATSAPP": "30"},
        {
            "notifications.whatsapp.per_s",
            "notifications.whatsapp.killed.lost",
            "notifications.whatsapp.killed.sent_twice",
        },
    ),
    "forecast_breadbasket": (
        {"ASIRIA_BENCH_FORECAST_FOLDS": "1", "ASIRIA_BENCH_FORECAST_MIN_UNITS": "1000"},
        {
            "forecast.import.rows_per_s",
            "forecast.mase_ratio_vs_seasonal_naive",
            "forecast.holt_winters.mase_ratio_vs_seasonal_naive",
            "forecast.basket.top_lift",
        },
    ),
    "analytics_basket": (
        {"ASIRIA_BENCH_BASKET_ROWS": "5000"},
        {"analytics.basket.top_lift", "analytics.basket.speedup_vs_candidate_scan"},
    ),
    "till_scan": ({}, {"till.scan.p99"}),
    "till_search": ({}, {"till.search.p99"}),
    "till_complete_sale": ({}, {"till.complete_sale.p99", "till.complete_sale.ratio_vs_bare"}),
    "till_cold_start": ({}, {"till.cold_start.p50"}),
    "till_memory": ({}, {"till.memory.rss_mb"}),
    "till_camera_decode": ({}, {"till.camera.decode_rate"}),
}


# package.py measures the built till package; tests/packaging builds it and runs the script.
NEEDS_A_BUILD = {"package"}


def _scripts() -> list[str]:
    return sorted(
        path.stem
        for path in BENCHMARKS.glob("*.py")
        if not path.name.startswith(("_", "run_all")) and path.stem not in NEEDS_A_BUILD
    )


def test_every_benchmark_script_is_covered_here() -> None:
    assert set(_scripts()) == set(SMALL), "give a new benchmark its small size above"


@pytest.mark.slow
@pytest.mark.parametrize("script", _scripts())
def test_the_benchmark_runs_and_prints_its_figures(script: str) -> None:
    sizes, wanted = SMALL[script]
    env = {**os.environ, **sizes, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / f"{script}.py")],
        cwd=BENCHMARKS.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    figures = {
        match[1]: float(match[2])
        for line in result.stdout.splitlines()
        if (match := BENCH_LINE.match(line))
    }
    assert figures, f"{script} printed no BENCH line:\n{result.stdout[-2000:]}"
    assert wanted <= set(figures), sorted(figures)
