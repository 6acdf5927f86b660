"""Frequently bought together through real processes: a till's sales pushed to gunicorn, the
owner asks for a fresh mining, a real Celery worker (Redis broker, not eager) mines them, and
the till's next sync brings the hints into its own database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from . import cloud
from .celery_worker import CeleryWorker
from .conftest import E2ECloud, wait_for
from .tills import TillProc

pytestmark = pytest.mark.e2e


def test_the_worker_mines_the_sales_and_the_till_pulls_the_hints(
    e2e: E2ECloud, new_till: Callable[..., TillProc], tmp_path: Path
) -> None:
    pair_a, pair_b, alone = e2e.products(3, "basket")
    till = new_till("Basket till")
    # Baskets of the pair's two products, then baskets of a product always bought alone.
    till.run(
        "sell", "--count", "12", "--seed", "5", "--barcodes", f"{pair_a.barcode},{pair_b.barcode}"
    )
    till.run("sell", "--count", "12", "--seed", "6", "--barcodes", alone.barcode, "--sync-each")

    env = cloud.cloud_env(eager=False)  # the web process queues, the worker mines
    server = cloud.Gunicorn(env=env, log_path=tmp_path / "gunicorn.log", workers=1)
    server.start()
    owner = cloud.Owner(server.url)
    worker = CeleryWorker(env=env, log_path=tmp_path / "celery.log").start()
    try:
        queued = owner.post(
            "analytics/basket-rules/compute/", {"store_id": e2e.store_id}, expect=202
        )
        assert queued["status"] == "queued"

        def mined() -> list[dict]:
            rules = owner.get("analytics/basket-rules/", store_id=e2e.store_id)["results"]
            return [
                r
                for r in rules
                if {r["product_id"], r["with_product_id"]} == {pair_a.id, pair_b.id}
            ]

        rules = wait_for(mined, 60, f"no rule mined; worker log: {worker.tail()}")
    finally:
        worker.stop()
        server.stop()
    assert all(rule["lift"] > 1 for rule in rules)
    assert not any(alone.id in (r["product_id"], r["with_product_id"]) for r in rules)

    result = till.cli("sync", "--once")
    assert result.returncode == 0, result.stderr[-2000:]
    hinted = {row[0] for row in till.rows("SELECT product_id FROM basket_hints")}
    assert {pair_a.id, pair_b.id} <= hinted and alone.id not in hinted
