"""Voids cancel a whole sale; refunds give back part of one, to the cent."""

from __future__ import annotations

from cloud_api.inventory.models import StockLevel
from cloud_api.payments.models import Payment


def level(org, product) -> int:
    return StockLevel.objects.get(store=org.stores[0], product=product).on_hand_milli


def test_a_void_restores_stock_and_reverses_payments(org_a, client_as, record_sale):
    sale = record_sale(org_a)

    response = client_as("manager").post(
        f"/api/v1/sales/{sale.uuid}/void/", {"reason": "Wrong item"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "voided"
    assert level(org_a, org_a.products[0]) == 0
    payment = Payment.objects.get(sale=sale)
    assert payment.status == "reversed"
    assert [(h.from_status, h.to_status) for h in payment.history.all()] == [
        ("", "completed"),
        ("completed", "reversed"),
    ]
    again = client_as("manager").post(
        f"/api/v1/sales/{sale.uuid}/void/", {"reason": "again"}, format="json"
    )
    assert again.status_code == 409


def test_refunding_a_line_in_pieces_returns_exactly_what_was_paid(org_a, client_as, record_sale):
    coke = org_a.products[0]
    sale = record_sale(org_a, items=[(coke, 3, None)])  # 3 x 80.00 = 240.00, tax 33.10
    line = sale.lines.get()
    manager = client_as("manager")

    refunds = [
        manager.post(
            f"/api/v1/sales/{sale.uuid}/refunds/",
            {"method": "cash", "reason": "Flat", "lines": [{"line_id": str(line.uuid), "qty": 1}]},
            format="json",
        ).json()
        for _ in range(3)
    ]
    too_many = manager.post(
        f"/api/v1/sales/{sale.uuid}/refunds/",
        {"method": "cash", "reason": "Flat", "lines": [{"line_id": str(line.uuid), "qty": 1}]},
        format="json",
    )

    assert sum(r["amount_cents"] for r in refunds) == line.total_cents
    assert sum(r["tax_cents"] for r in refunds) == line.tax_cents
    assert too_many.status_code == 400
    # The manager reads pieces, not the thousandths the API counts in.
    assert too_many.json()["error"]["message"] == f"{coke.name} has already been refunded in full."
    assert level(org_a, coke) == 0
    assert client_as("owner").get(f"/api/v1/sales/{sale.uuid}/").json()["refunded_cents"] == 24000


def test_a_weighed_line_refunds_proportionally(org_a, client_as, record_sale):
    tomatoes = org_a.products[1]
    sale = record_sale(org_a, items=[(tomatoes, None, 1250)])  # 1.25 kg at 120.00 = 150.00
    line_id = str(sale.lines.get().uuid)

    def refund(qty_milli: int):
        return client_as("manager").post(
            f"/api/v1/sales/{sale.uuid}/refunds/",
            {
                "method": "mpesa",
                "reason": "Bruised",
                "lines": [{"line_id": line_id, "qty_milli": qty_milli}],
            },
            format="json",
        )

    response = refund(500)

    assert response.status_code == 201
    assert response.json()["amount_cents"] == 6000
    too_much = refund(800)
    assert too_much.status_code == 400
    assert too_much.json()["error"]["message"] == (
        f"Only 0.750 kg of {tomatoes.name} can still be refunded."
    )
    assert level(org_a, tomatoes) == -750


def test_a_refund_sent_twice_with_its_id_is_given_once(org_a, client_as, record_sale):
    sale = record_sale(org_a)
    body = {
        "id": "01936c1e-8a4b-7c2d-9e3f-5a6b7c8d9eff",
        "method": "cash",
        "reason": "Retry",
        "lines": [{"line_id": str(sale.lines.first().uuid), "qty": 1}],
    }
    first = client_as("manager").post(f"/api/v1/sales/{sale.uuid}/refunds/", body, format="json")
    second = client_as("manager").post(f"/api/v1/sales/{sale.uuid}/refunds/", body, format="json")

    assert first.json()["id"] == second.json()["id"]
    assert client_as("manager").get(f"/api/v1/sales/{sale.uuid}/").json()["refunded_cents"] == 8000


def test_a_refunded_sale_cannot_be_voided(org_a, client_as, record_sale):
    sale = record_sale(org_a)
    client_as("manager").post(
        f"/api/v1/sales/{sale.uuid}/refunds/",
        {
            "method": "cash",
            "reason": "x",
            "lines": [{"line_id": str(sale.lines.first().uuid), "qty": 1}],
        },
        format="json",
    )

    response = client_as("manager").post(
        f"/api/v1/sales/{sale.uuid}/void/", {"reason": "x"}, format="json"
    )

    assert response.status_code == 409
