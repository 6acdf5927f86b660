"""The head-office dashboard's pages over many sales, against the sales-summary API in the
same run (the baseline: one indexed query the dashboard also makes).

Loads ASIRIA_BENCH_DASHBOARD_LINES (default 300,000) sale lines - three per sale, 3 stores,
90 days, the loader of ``cloud_sales_summary.py`` - into its own database
``asiria_bench_dashboard`` once (re-runs reuse them), then times, for one month of all stores:
the overview (``/dashboard/``: KPIs, trend, best sellers, payment mix, stores, heat map, stock,
tills, insights and anomaly flags), the analytics page, the first page of the sales list, and
the CSV export of one day; and the summary API.

Insights: a second organisation with ASIRIA_BENCH_INSIGHTS_LINES (default 60,000: 20,000
sales) over the 90 days to today, its overview timed with the insights and flags stored by the
nightly job (now), against the same page worked out on request (as before: every push changed
the cached insights' key, and the flags were never cached), and the summary API as baseline.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import timedelta

os.environ.setdefault(
    "ASIRIA_BENCH_REPORT_DATABASE_URL", "mysql://root:@127.0.0.1:3306/asiria_bench_dashboard"
)
os.environ["ASIRIA_BENCH_LINES"] = os.environ.get("ASIRIA_BENCH_DASHBOARD_LINES", "300000")
os.environ["ALLOWED_HOSTS"] = "testserver"

from _bench import emit, emit_latency
from cloud_sales_summary import (
    DAYS,
    FIRST_DAY,
    bench_organisation,
    create_database,
    load,
    setup_django,
)

REPEAT = int(os.environ.get("ASIRIA_BENCH_DASHBOARD_REPEAT", "9"))
INSIGHT_LINES = int(os.environ.get("ASIRIA_BENCH_INSIGHTS_LINES", "60000"))


def timed(get, url: str, before_each=None) -> list[float]:
    get(url)  # warm-up (and a check that it answers)
    samples = []
    for _ in range(REPEAT):
        if before_each is not None:
            before_each()
        start = time.perf_counter()
        response = get(url)
        if hasattr(response, "streaming_content"):
            for _chunk in response.streaming_content:
                pass
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def main() -> None:
    create_database()
    organisation, stores, owner = setup_django()
    load(organisation, stores, owner)

    api, browser = clients(owner)
    first, last = FIRST_DAY + timedelta(days=30), FIRST_DAY + timedelta(days=59)
    period = f"date_from={first}&date_to={last}"

    summary = timed(api.get, f"/api/v1/reports/sales-summary/?{period}")
    overview = timed(browser.get, f"/dashboard/?{period}")
    sales = timed(browser.get, f"/dashboard/sales/?{period}")
    analytics = timed(browser.get, f"/dashboard/analytics/?{period}")
    export = timed(browser.get, f"/dashboard/export/sales.csv?date_from={first}&date_to={first}")
    body = api.get(f"/api/v1/reports/sales-summary/?{period}").json()
    print(f"month: {body['sales_count']} sales, {body['items_count']} items")

    emit_latency("cloud.dashboard.baseline_sales_summary.month", summary)
    emit_latency("cloud.dashboard.overview.month", overview)
    emit_latency("cloud.dashboard.sales_list.month", sales)
    emit_latency("cloud.dashboard.analytics.month", analytics)
    emit_latency("cloud.dashboard.export_sales.day", export)
    emit(
        "cloud.dashboard.overview.ratio_vs_summary",
        statistics.median(overview) / statistics.median(summary),
        "x",
    )


def clients(owner):
    from django.test import Client
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(owner).access_token}")
    browser = Client()
    browser.force_login(owner)
    return api, browser


def insights_shop():
    """Three stores with sales every day up to today (the stored insights run to today)."""
    from cloud_api.dashboard.periods import local_today

    organisation, stores, owner = bench_organisation(
        "Insights Bench", "Duka", "owner@insights.example"
    )
    today = local_today(organisation.time_zone)
    load(
        organisation, stores, owner, first_day=today - timedelta(days=DAYS - 1), lines=INSIGHT_LINES
    )
    return organisation, stores, owner, today


def time_insights() -> None:
    from django.core.cache import cache

    from cloud_api.analytics.insights_tasks import refresh_store_insights
    from cloud_api.analytics.models import StoredInsights

    organisation, stores, owner, today = insights_shop()
    api, browser = clients(owner)
    month = f"date_from={today - timedelta(days=29)}&date_to={today}"
    end = today - timedelta(days=1)  # a period not ending today is still worked out on request
    before = f"/dashboard/?date_from={end - timedelta(days=29)}&date_to={end}"

    def new_sale_arrived() -> None:  # what each push did to the cached insights
        cache.delete_pattern("analytics:insights:*")

    summary = timed(api.get, f"/api/v1/reports/sales-summary/?{month}")
    on_request = timed(browser.get, before, before_each=new_sale_arrived)
    on_request_cached = timed(browser.get, before)
    StoredInsights.objects.filter(organisation=organisation).delete()
    new_sale_arrived()
    start = time.perf_counter()
    first_look = browser.get(f"/dashboard/?{month}")  # nothing stored: worked out once, kept
    first_ms = (time.perf_counter() - start) * 1000
    assert first_look.status_code == 200 and b"As of" in first_look.content
    jobs = []
    for store in stores:
        start = time.perf_counter()
        refresh_store_insights.apply(args=(store.pk,))
        jobs.append((time.perf_counter() - start) * 1000)
    stored = timed(browser.get, f"/dashboard/?{month}")
    assert b"As of" in browser.get(f"/dashboard/?{month}").content
    print(f"insights shop: {INSIGHT_LINES // 3} sales over {DAYS} days to {today}")

    emit_latency("cloud.dashboard.insights.baseline_sales_summary.month", summary)
    emit_latency("cloud.dashboard.overview.insights_on_request.month", on_request)
    emit_latency("cloud.dashboard.overview.insights_on_request_cached.month", on_request_cached)
    emit_latency("cloud.dashboard.overview.insights_stored.month", stored)
    emit("cloud.dashboard.overview.insights_first_look", first_ms, "ms")
    emit("cloud.dashboard.insights.refresh_job_per_store.p50", statistics.median(jobs), "ms")
    base = statistics.median(summary)
    emit(
        "cloud.dashboard.overview.insights_on_request.ratio_vs_summary",
        statistics.median(on_request) / base,
        "x",
    )
    emit(
        "cloud.dashboard.overview.insights_stored.ratio_vs_summary",
        statistics.median(stored) / base,
        "x",
    )
    emit(
        "cloud.dashboard.overview.insights_on_request_vs_stored",
        statistics.median(on_request) / statistics.median(stored),
        "x",
    )


if __name__ == "__main__":
    main()
    time_insights()
