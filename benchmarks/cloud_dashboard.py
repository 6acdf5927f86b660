"""The head-office dashboard's pages over many sales, against the sales-summary API in the
same run (the baseline: one indexed query the dashboard also makes).

Loads ASIRIA_BENCH_DASHBOARD_LINES (default 300,000) sale lines - three per sale, 3 stores,
90 days, the loader of ``cloud_sales_summary.py`` - into its own database
``asiria_bench_dashboard`` once (re-runs reuse them), then times, for one month of all stores:
the overview (``/dashboard/``: KPIs, trend, best sellers, payment mix, stores, heat map, stock,
tills, insights and anomaly flags), the analytics page, the first page of the sales list, and
the CSV export of one day; and the summary API.
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
from cloud_sales_summary import FIRST_DAY, create_database, load, setup_django

REPEAT = int(os.environ.get("ASIRIA_BENCH_DASHBOARD_REPEAT", "9"))


def timed(get, url: str) -> list[float]:
    get(url)  # warm-up (and a check that it answers)
    samples = []
    for _ in range(REPEAT):
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

    from django.test import Client
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(owner).access_token}")
    browser = Client()
    browser.force_login(owner)
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


if __name__ == "__main__":
    main()
