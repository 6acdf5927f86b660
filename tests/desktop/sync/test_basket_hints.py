"""``basket_hint`` pulled from the cloud: stored per product, replaced by a newer one, removed by
a delete; an unusable hint is skipped without stopping the rest of the page."""

from __future__ import annotations

from typing import Any

from asiria_desktop.local_db.insights_repos import SqlInsightsReader

from .catalog_data import seed_catalog
from .fake_cloud import FakeCloud
from .support import rows

SODA = "0193c000-0000-7000-8000-000000000001"
BREAD = "0193c000-0000-7000-8000-000000000002"


def hint(product_id: str, *companions: tuple[str, str]) -> dict[str, Any]:
    return {
        "id": product_id,
        "product_id": product_id,
        "with": [
            {"product_id": pid, "name": name, "confidence_bp": 4000, "lift_milli": 2500}
            for pid, name in companions
        ],
    }


def test_pulled_hints_are_kept_replaced_and_deleted(enrolled: Any, cloud: FakeCloud) -> None:
    seed_catalog(cloud, 3)
    cloud.add_change("basket_hint", hint(SODA, (BREAD, "Bread"), (SODA, "Soda")))
    cloud.add_change("basket_hint", {"id": BREAD, "with": [{"name": "no id"}]})  # unusable
    cloud.add_change("basket_hint", hint(BREAD, (SODA, "Soda")))
    report = enrolled.services.sync.sync_now()
    assert report.ok, report
    stored = dict(rows(enrolled, "SELECT product_id, companions FROM basket_hints"))
    assert set(stored) == {SODA, BREAD}
    assert '"name":"Bread"' in stored[SODA]
    record = SqlInsightsReader(enrolled.database.engine).basket_hint(SODA)
    assert record is not None
    assert [c.name for c in record.companions] == ["Bread", "Soda"]
    assert record.companions[0].confidence_bp == 4000

    cloud.add_change("basket_hint", hint(SODA, (BREAD, "Fresh bread")))
    cloud.add_change("basket_hint", {"id": BREAD}, op="delete")
    assert enrolled.services.sync.sync_now().ok
    stored = dict(rows(enrolled, "SELECT product_id, companions FROM basket_hints"))
    assert set(stored) == {SODA} and '"Fresh bread"' in stored[SODA]
