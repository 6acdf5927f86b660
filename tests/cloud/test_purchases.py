"""Purchase orders and receiving goods."""

from __future__ import annotations

from cloud_api.catalog.models import Product
from cloud_api.inventory.models import StockLevel, StockMovement


def order(client, org, lines):
    response = client.post(
        "/api/v1/purchase-orders/",
        {
            "supplier_id": str(org.supplier.uuid),
            "reference": "INV-2231",
            "lines": [
                {"product_id": str(p.uuid), "quantity_milli": q, "cost_price_cents": c}
                for p, q, c in lines
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def on_hand(store, product) -> int:
    level = StockLevel.objects.filter(store=store, product=product).first()
    return level.on_hand_milli if level else 0


def test_partial_then_full_receipt_moves_stock_and_records_cost(org_a, client_as):
    manager = client_as("manager")
    coke, tomatoes = org_a.products
    po = order(manager, org_a, [(coke, 24_000, 5500), (tomatoes, 10_000, 7000)])
    coke_line = next(line for line in po["lines"] if line["product_id"] == str(coke.uuid))

    partial = manager.post(
        f"/api/v1/purchase-orders/{po['id']}/receive/",
        {"lines": [{"line_id": coke_line["id"], "quantity_milli": 12_000}]},
        format="json",
    )
    assert partial.json()["status"] == "partially_received"
    assert on_hand(org_a.stores[0], coke) == 12_000
    assert Product.objects.get(pk=coke.pk).cost_price_cents == 5500

    rest = manager.post(f"/api/v1/purchase-orders/{po['id']}/receive/", {}, format="json")
    assert rest.json()["status"] == "received"
    assert on_hand(org_a.stores[0], coke) == 24_000
    assert on_hand(org_a.stores[0], tomatoes) == 10_000
    assert StockMovement.objects.filter(reason="purchase_receipt").count() == 3


def test_receiving_more_than_ordered_is_refused_whole(org_a, client_as):
    manager = client_as("manager")
    coke, tomatoes = org_a.products
    po = order(manager, org_a, [(coke, 6_000, 5500), (tomatoes, 1_000, 7000)])
    lines = {line["product_id"]: line["id"] for line in po["lines"]}

    response = manager.post(
        f"/api/v1/purchase-orders/{po['id']}/receive/",
        {
            "lines": [
                {"line_id": lines[str(coke.uuid)], "quantity_milli": 6_000},
                {"line_id": lines[str(tomatoes.uuid)], "quantity_milli": 2_000},
            ]
        },
        format="json",
    )

    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert message == f"Only 1.000 kg of {tomatoes.name} left to receive on this order."
    assert on_hand(org_a.stores[0], coke) == 0  # the good line was rolled back too


def test_a_received_order_cannot_be_cancelled_or_received_again(org_a, client_as):
    manager = client_as("manager")
    po = order(manager, org_a, [(org_a.products[0], 1_000, 5000)])
    manager.post(f"/api/v1/purchase-orders/{po['id']}/receive/", {}, format="json")

    again = manager.post(f"/api/v1/purchase-orders/{po['id']}/receive/", {}, format="json")
    cancel = manager.post(f"/api/v1/purchase-orders/{po['id']}/cancel/")

    assert again.status_code == 409
    assert cancel.status_code == 409


def test_a_manager_orders_for_their_own_store(org_a, client_as):
    po = order(client_as("manager"), org_a, [(org_a.products[0], 1_000, 5000)])
    elsewhere = client_as("manager").post(
        "/api/v1/purchase-orders/",
        {
            "supplier_id": str(org_a.supplier.uuid),
            "store_id": str(org_a.stores[1].uuid),
            "lines": [
                {
                    "product_id": str(org_a.products[0].uuid),
                    "quantity_milli": 1,
                    "cost_price_cents": 1,
                }
            ],
        },
        format="json",
    )

    assert po["store_id"] == str(org_a.stores[0].uuid)
    assert elsewhere.status_code == 400
    assert "store_id" in elsewhere.json()["error"]["fields"]
