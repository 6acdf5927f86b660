"""Imported sales history becomes cached demand forecasts computed by a real Celery worker
process (Redis broker, not eager), asked for through a real gunicorn."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from . import cloud
from .celery_worker import CeleryWorker
from .conftest import STORE_TZ, E2ECloud, wait_for

pytestmark = pytest.mark.e2e

WEEK = [3, 4, 4, 5, 8, 12, 1]  # Monday first


def test_the_worker_caches_forecasts_for_the_imported_history(
    e2e: E2ECloud, tmp_path: Path
) -> None:
    yesterday = datetime.now(STORE_TZ).date() - timedelta(days=1)
    rng = np.random.default_rng(11)
    rows = ["date,receipt,product"]
    for back in range(8 * 7 - 1, -1, -1):
        day = yesterday - timedelta(days=back)
        for unit in range(rng.poisson(WEEK[day.weekday()])):
            rows.append(f"{day},F{day:%Y%m%d}-{unit},Forecast Buns")
    history = tmp_path / "history.csv"
    history.write_text("\n".join(rows) + "\n")
    env = cloud.cloud_env(eager=False)  # the web process queues, the worker computes
    imported = cloud.manage(
        "import_sales_history", "--org", "E2E Shops", "--store", "Main", str(history), env=env
    )
    assert "Imported" in imported, imported
    server = cloud.Gunicorn(env=env, log_path=tmp_path / "gunicorn.log", workers=1)
    server.start()
    owner = cloud.Owner(server.url)
    worker = CeleryWorker(env=env, log_path=tmp_path / "celery.log").start()
    try:
        queued = owner.post("forecasts/refresh/", {"store_id": e2e.store_id}, expect=202)
        assert queued["queued"] is True

        def buns_forecast() -> list[dict]:
            days = [
                row
                for row in owner.all("forecasts/", store_id=e2e.store_id)
                if row["product_name"] == "Forecast Buns"
            ]
            return days if len(days) == 14 else []

        days = wait_for(buns_forecast, 120, f"no forecast cached:\n{worker.tail()}")
    finally:
        worker.stop()
        server.stop()
    by_weekday = {
        datetime.fromisoformat(row["date"]).weekday(): row["median_milli"] for row in days
    }
    assert by_weekday[5] > by_weekday[6]  # Saturdays sell more buns than Sundays
    assert all(row["lower_milli"] <= row["median_milli"] <= row["upper_milli"] for row in days)
