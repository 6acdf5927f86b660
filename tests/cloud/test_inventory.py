"""Stock as a sum of movements, and the low-stock alert."""

from __future__ import annotations

from cloud_api.inventory.models import MovementReason, StockLevel
from cloud_api.inventory.services import stock_movement_record, stock_threshold_set
from cloud_api.notifications.models import Notification


def test_crossing_the_threshold_notifies_the_store_manager_and_owner_once(org_a, client_as):
    store, coke = org_a.stores[0], org_a.products[0]
    stock_movement_record(
        store=store, product=coke, delta_milli=10_000, reason=MovementReason.ADJUSTMENT
    )
    stock_threshold_set(store=store, product=coke, threshold_milli=5_000)

    stock_movement_record(store=store, product=coke, delta_milli=-4_000, reason=MovementReason.SALE)
    assert not Notification.objects.exists()  # 6 left: still above the line
    stock_movement_record(store=store, product=coke, delta_milli=-2_000, reason=MovementReason.SALE)
    stock_movement_record(store=store, product=coke, delta_milli=-1_000, reason=MovementReason.SALE)

    notes = Notification.objects.filter(kind="low_stock")
    assert {n.user.role for n in notes} == {"owner", "manager", "head_office"}
    assert notes.count() == 3  # crossed once: later sales below the line do not repeat it
    inbox = client_as("manager").get("/api/v1/notifications/?status=unread").json()
    assert "Coca-Cola 500ml is down to 4" in inbox["results"][0]["message"]


def test_a_branch_manager_is_not_told_about_another_store(org_a):
    branch, coke = org_a.stores[1], org_a.products[0]
    stock_movement_record(
        store=branch, product=coke, delta_milli=2000, reason=MovementReason.ADJUSTMENT
    )
    stock_threshold_set(store=branch, product=coke, threshold_milli=1000)

    stock_movement_record(store=branch, product=coke, delta_milli=-1500, reason=MovementReason.SALE)

    roles = Notification.objects.values_list("user__role", flat=True)
    assert sorted(roles) == ["head_office", "owner"]


def test_an_adjustment_through_the_api_moves_the_level(org_a, client_as):
    response = client_as("manager").post(
        "/api/v1/stock-movements/",
        {
            "product_id": str(org_a.products[1].uuid),
            "delta_milli": 2500,
            "note": "Delivery miscount",
        },
        format="json",
    )

    assert response.status_code == 201
    level = (
        client_as("cashier")
        .get(f"/api/v1/stock-levels/?product_id={org_a.products[1].uuid}")
        .json()
    )
    assert level["results"][0]["on_hand_milli"] == 2500


def test_low_filter_lists_only_low_stock(org_a, client_as):
    store = org_a.stores[0]
    coke, tomatoes = org_a.products
    stock_threshold_set(store=store, product=coke, threshold_milli=1000)
    stock_threshold_set(store=store, product=tomatoes, threshold_milli=1000)
    stock_movement_record(
        store=store, product=tomatoes, delta_milli=5000, reason=MovementReason.ADJUSTMENT
    )

    low = client_as("manager").get("/api/v1/stock-levels/?low=true").json()

    assert [row["product_name"] for row in low["results"]] == ["Coca-Cola 500ml"]


def test_a_zero_adjustment_is_refused(org_a, client_as):
    response = client_as("manager").post(
        "/api/v1/stock-movements/",
        {"product_id": str(org_a.products[0].uuid), "delta_milli": 0, "note": "nothing"},
        format="json",
    )

    assert response.status_code == 400
    assert not StockLevel.objects.exists()
