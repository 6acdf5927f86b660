"""Stored insights through real processes: weeks of imported history, a till's sales pushed
to gunicorn (tasks go to Redis, not eager), and a real Celery worker that, a moment after the
pushes, works out and stores the store's insights and anomaly flags: the same ones the API
works out on request."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import numpy as np
import pytest

from . import cloud
from .celery_worker import CeleryWorker
from .conftest import STORE_TZ, E2ECloud, wait_for
from .tills import TillProc

pytestmark = pytest.mark.e2e
DELAY = 8  # seconds from a store's first push to its refresh: longer than the four pushes

STORED = """SELECT s.insights, s.flags, s.computed_at, s.date_to
FROM analytics_storedinsights s JOIN accounts_store st ON st.id = s.store_id
WHERE REPLACE(st.uuid, '-', '') = %s"""


def history(path: Path) -> Path:
    """Eight weeks of mandazi sales: twice as many a day in the last four."""
    today = datetime.now(STORE_TZ).date()
    rng = np.random.default_rng(5)
    rows = ["date,receipt,product,quantity,unit_price"]
    for back in range(8 * 7, 0, -1):
        day = today - timedelta(days=back)
        for n in range(rng.poisson(8 if back <= 27 else 4)):
            rows.append(f"{day},M{day:%Y%m%d}-{n},Insight Mandazi,1,20")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_pushes_bring_the_worker_to_store_the_insights(
    e2e: E2ECloud, new_till: Callable[..., TillProc], tmp_path: Path
) -> None:
    env = cloud.cloud_env(eager=False)  # the web process queues, the worker computes
    env["ASIRIA_INSIGHTS_DELAY_SECONDS"] = str(DELAY)
    # The history is this test's setting, imported with tasks run in place: an import queues
    # its own refresh (tests/cloud/test_analytics_stored_insights.py), which here would hold the
    # store's one waiting refresh before any worker runs.
    imported = cloud.manage(
        "import_sales_history",
        "--org",
        "E2E Shops",
        "--store",
        "Main",
        str(history(tmp_path / "mandazi.csv")),
        env=cloud.cloud_env(eager=True),
    )
    assert "Imported" in imported, imported
    [product] = e2e.products(1, "insights")
    store = UUID(e2e.store_id).hex
    assert cloud.query(STORED, store) == []  # nothing worked out yet
    # Earlier worker tests pushed to this store with the default delay of minutes: their
    # refresh, still waiting in Redis, holds the store's one waiting refresh (and would run in
    # the middle of this test). A clean Redis DB is the state this test is about.
    cloud.flush_redis()

    server = cloud.Gunicorn(env=env, log_path=tmp_path / "gunicorn.log", workers=1)
    server.start()
    worker = CeleryWorker(env=env, log_path=tmp_path / "celery.log").start()
    try:
        till = new_till("Insights till", server_url=server.url)
        pushed_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        till.run(
            "sell", "--count", "4", "--seed", "9", "--barcodes", product.barcode, "--sync-each"
        )
        done_at = datetime.now(UTC).replace(tzinfo=None)

        def stored() -> list[tuple]:
            rows = cloud.query(STORED, store)
            return rows if rows and rows[0][2] >= pushed_at else []

        [(insights, flags, computed_at, date_to)] = wait_for(
            stored, 90, f"no insights stored; worker log:\n{worker.tail()}"
        )
        time.sleep(DELAY + 2)  # a second refresh would have run by now
        [(_, _, settled_at, _)] = cloud.query(STORED, store)
        owner = cloud.Owner(server.url)
        asked = owner.get("analytics/insights/", store_id=e2e.store_id, limit=20)
        anomalies = owner.get("analytics/anomalies/", store_id=e2e.store_id, days=30)
    finally:
        worker.stop()
        server.stop()
    # One refresh for the four pushes, started once the pushes were over.
    assert done_at - pushed_at < timedelta(seconds=DELAY), "the pushes outlasted the delay"
    assert computed_at >= done_at and settled_at == computed_at
    assert date_to == datetime.now(STORE_TZ).date()
    texts = [item["text"] for item in json.loads(insights)]
    assert texts == [item["text"] for item in asked["insights"]]
    assert any("Insight Mandazi" in text and "more" in text for text in texts), texts
    reasons = [item["reason"] for item in json.loads(flags)]
    assert reasons == [flag["reason"] for flag in anomalies["flags"]]
