"""Deliveries and adjustments go to head office like sales, and the stock the till shows stays
right through a sync: head office's pulled figure counts what was sent, the till adds only
what it has not sent yet (nothing is counted twice, nothing rejected is forgotten)."""

from __future__ import annotations

from typing import Any

from asiria_desktop.services.results import StockEntry

from .fake_cloud import FakeCloud
from .support import MANAGER_PIN, outbox_states

COKE = "5449000000996"


def test_stock_events_wait_offline_and_the_level_stays_right_after_the_sync(
    enrolled: Any, cloud: FakeCloud
) -> None:
    services = enrolled.services
    stock = services.stock
    services.auth.login(MANAGER_PIN)
    coke = stock.find(COKE).product_id
    cloud.add_change("stock_level", {"id": coke, "product_id": coke, "on_hand_milli": 10_000})
    assert services.sync.sync_now().ok
    assert stock.find(COKE).on_hand_milli == 10_000 and stock.find(COKE).known

    cloud.fail("status", status=503, path="/api/v1/sync/push/")  # offline for one push
    received = stock.receive([StockEntry(coke, "24")], "Bidco", "DN-9")
    adjusted = stock.adjust([StockEntry(coke, "-2")], "damaged")
    assert not services.sync.sync_now().ok
    assert stock.find(COKE).on_hand_milli == 10_000 + 24_000 - 2_000
    assert [s for s, _ in outbox_states(enrolled).values()] == ["pending", "pending"]

    # The network is back: the sync pushes both events, then pulls head office's new figure
    # (the real cloud records it while applying them; this fake one is told beforehand).
    cloud.add_change("stock_level", {"id": coke, "product_id": coke, "on_hand_milli": 32_000})
    assert services.sync.sync_now().ok
    applied = {e["payload"]["id"]: e["type"] for e in cloud.state.applied.values()}
    assert applied == {received.record_id: "goods.received", adjusted.record_id: "stock.adjusted"}
    assert stock.find(COKE).on_hand_milli == 32_000  # not 32 + 22: nothing counted twice


def test_a_rejected_delivery_stays_in_the_tills_stock_and_on_the_sync_screen(
    enrolled: Any, cloud: FakeCloud
) -> None:
    services = enrolled.services
    services.auth.login(MANAGER_PIN)
    coke = services.stock.find(COKE).product_id
    cloud.state.reject_types.add("goods.received")
    services.stock.receive([StockEntry(coke, "6")], "Bidco", "DN-10")
    report = services.sync.sync_now()
    assert report.rejected == 1
    assert services.stock.find(COKE).on_hand_milli == 6_000
    (rejected,) = services.sync.overview().rejected
    assert rejected.label == "Goods received DN-10"
    assert rejected.reason == "goods.received is not accepted by this store"
