"""Demand forecasts on a real bakery's POS log (shared/datasets/breadbasket), end to end.

Imports the log into a fresh organisation through ``asiria-cloud import_sales_history`` (the
path a shop moving from another POS takes), then runs ``asiria-cloud forecast_backtest``: the
last 4 weeks in weekly folds, products with >= 100 units, MASE of the production forecast and
of Holt-Winters, each divided by seasonal naive's in the same run.

Prints ``BENCH forecast.import.rows_per_s``, ``BENCH forecast.mase_ratio_vs_seasonal_naive``
and ``BENCH forecast.holt_winters.mase_ratio_vs_seasonal_naive``. Own database
``asiria_bench_forecast`` (dropped and made again each run, so the organisation is fresh).
Sizes: ASIRIA_BENCH_FORECAST_FOLDS (4), ASIRIA_BENCH_FORECAST_MIN_UNITS (100).
"""

from __future__ import annotations

import csv
import io
import os
import sys
import time
from pathlib import Path

from _bench import emit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(
    os.environ.get(
        "ASIRIA_BREADBASKET_CSV",
        ROOT.parent / "shared" / "datasets" / "breadbasket" / "BreadBasket_DMS.csv",
    )
)
if not DATA.exists():
    DATA = Path("/work/shared/datasets/breadbasket/BreadBasket_DMS.csv")
os.environ.update(
    DATABASE_URL=os.environ.get(
        "ASIRIA_BENCH_FORECAST_DATABASE_URL",
        "mysql://root:@127.0.0.1:3306/asiria_bench_forecast",
    ),
    REDIS_URL=os.environ.get("ASIRIA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    SECRET_KEY="benchmark-only-secret-key-" + "x" * 40,
    ALLOWED_HOSTS="testserver",
    LOG_LEVEL="WARNING",
    DJANGO_SETTINGS_MODULE="cloud_api.settings",
)
FOLDS = os.environ.get("ASIRIA_BENCH_FORECAST_FOLDS", "4")
MIN_UNITS = os.environ.get("ASIRIA_BENCH_FORECAST_MIN_UNITS", "100")
ORG, STORE = "BreadBasket Bench", "Edinburgh"


def fresh_database() -> None:
    import pymysql

    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    connection = pymysql.connect(host="127.0.0.1", user="root", password="", port=3306)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    connection.close()


def main() -> int:
    if not DATA.exists():
        print(f"no data set at {DATA}", file=sys.stderr)
        return 1
    fresh_database()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command(
        "bootstrap",
        "--org",
        ORG,
        "--store",
        STORE,
        "--owner-email",
        "owner@breadbasket.example",
        "--owner-password",
        "Bench-Owner-Pass-2026",
        stdout=io.StringIO(),
    )
    with DATA.open(newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1
    started = time.perf_counter()
    out = io.StringIO()
    call_command(
        "import_sales_history",
        "--org",
        ORG,
        "--store",
        STORE,
        str(DATA),
        "--map",
        "receipt=Transaction",
        "--map",
        "product=Item",
        "--map",
        "date=Date",
        "--map",
        "time=Time",
        stdout=out,
    )
    seconds = time.perf_counter() - started
    print(out.getvalue().strip())
    emit("forecast.import.seconds", seconds, "s")
    emit("forecast.import.rows_per_s", rows / seconds, "rows/s")
    started = time.perf_counter()
    out = io.StringIO()
    call_command(
        "forecast_backtest",
        "--org",
        ORG,
        "--store",
        STORE,
        "--folds",
        FOLDS,
        "--min-units",
        MIN_UNITS,
        stdout=out,
    )
    print(out.getvalue().rstrip(), flush=True)
    emit("forecast.backtest.seconds", time.perf_counter() - started, "s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
