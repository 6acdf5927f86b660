"""Recording sales in the till's ``sale.completed`` shape, and what follows from them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cloud_api.inventory.models import StockLevel
from cloud_api.payments.models import Payment
from cloud_api.sales.models import Sale

from .sync_support import as_the_example_till

CONTRACT = Path(__file__).resolve().parents[1] / "contract" / "push-request.example.json"


def test_cashier_records_a_split_tender_sale_and_stock_moves(org_a, client_as, make_sale):
    total = 16000 + 15000
    payload = make_sale(org_a, pay=[("mpesa", 20000), ("cash", 20000)])
    assert payload["total_cents"] == total

    response = client_as("cashier").post("/api/v1/sales/", payload, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] == payload["id"]
    assert body["total_cents"] == total
    assert body["change_cents"] == 40000 - total
    assert [p["method"] for p in body["payments"]] == ["mpesa", "cash"]
    assert body["lines"][1]["qty_milli"] == 1250
    coke, tomatoes = org_a.products
    levels = {
        level.product_id: level.on_hand_milli
        for level in StockLevel.objects.filter(store=org_a.stores[0])
    }
    assert levels == {coke.pk: -2000, tomatoes.pk: -1250}  # sold although stock was zero


def test_the_same_sale_twice_is_stored_once(org_a, client_as, make_sale):
    payload = make_sale(org_a)
    first = client_as("cashier").post("/api/v1/sales/", payload, format="json")
    again = client_as("cashier").post("/api/v1/sales/", payload, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert Sale.objects.filter(uuid=payload["id"]).count() == 1
    assert (
        StockLevel.objects.get(store=org_a.stores[0], product=org_a.products[0]).on_hand_milli
        == -2000
    )


def test_a_different_sale_reusing_an_id_is_a_conflict(org_a, client_as, make_sale):
    payload = make_sale(org_a)
    client_as("cashier").post("/api/v1/sales/", payload, format="json")
    changed = make_sale(org_a)
    changed["id"] = payload["id"]

    response = client_as("cashier").post("/api/v1/sales/", changed, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["fields"]["id"]


def test_terminal_records_the_contract_example_sale(org_a, client_as):
    """The example push of the shared contract is accepted as a sale of the till's store."""
    payload = json.loads(CONTRACT.read_text())["events"][0]["payload"]
    coke, tomatoes = org_a.products
    bread = type(coke).objects.create(
        organisation=org_a.organisation,
        name="White bread 400g",
        price_cents=6500,
        tax_class=tomatoes.tax_class,
    )
    for line, product in zip(payload["lines"], [coke, tomatoes, bread], strict=True):
        line["product_id"] = str(product.uuid)
    payload["cashier_id"] = str(org_a.users["cashier"].uuid)
    as_the_example_till(org_a)

    response = client_as("terminal").post("/api/v1/sales/", payload, format="json")

    assert response.status_code == 201, response.json()
    sale = Sale.objects.get(uuid=payload["id"])
    assert sale.store == org_a.stores[0]
    assert sale.terminal == org_a.terminal
    assert str(sale.business_date) == "2026-11-24"
    assert sale.items_count == 2 + 1 + 1
    assert Payment.objects.get(uuid=payload["payments"][0]["id"]).reference == "SKO3ZQ8H2J"
    # Every line was charged at the catalog price.
    assert sale.price_mismatch is False


def test_a_price_other_than_the_catalog_is_kept_and_flagged(org_a, client_as, make_sale):
    payload = make_sale(org_a, items=[(org_a.products[0], 1, None)])
    line = payload["lines"][0]
    line["unit_price_cents"] = line["total_cents"] = 7500
    line["tax_cents"] = 1034
    payload.update(subtotal_cents=7500, total_cents=7500, tax_cents=1034)
    payload["payments"][0]["amount_cents"] = 7500
    payload["change_cents"] = 0

    response = client_as("manager").post("/api/v1/sales/", payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["price_mismatch"] is True
    assert response.json()["lines"][0]["unit_price_cents"] == 7500
    assert response.json()["lines"][0]["catalog_price_cents"] == 8000


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("total_cents", 1, "total_cents"),
        ("tax_cents", 0, "tax_cents"),
        ("change_cents", 5, "payments"),
        ("subtotal_cents", 10, "subtotal_cents"),
    ],
)
def test_amounts_that_do_not_add_up_are_refused(
    org_a, client_as, make_sale, field, value, error_field
):
    payload = make_sale(org_a)
    payload[field] = value

    response = client_as("cashier").post("/api/v1/sales/", payload, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error_field in error["fields"]
    assert "add up" in error["message"]
    assert not Sale.objects.exists()
    assert not StockLevel.objects.exists()


def test_change_from_a_card_payment_is_refused(org_a, client_as, make_sale):
    payload = make_sale(org_a, items=[(org_a.products[0], 1, None)], pay=[("card", 10000)])

    response = client_as("cashier").post("/api/v1/sales/", payload, format="json")

    assert response.status_code == 400
    assert "change_cents" in response.json()["error"]["fields"]


def test_a_cashier_cannot_record_a_sale_for_someone_else(org_a, client_as, make_sale):
    payload = make_sale(org_a, cashier=org_a.users["manager"])

    response = client_as("cashier").post("/api/v1/sales/", payload, format="json")

    assert response.status_code == 400
    assert "cashier_id" in response.json()["error"]["fields"]


def test_an_owner_must_say_which_store_sold(org_a, client_as, make_sale):
    payload = make_sale(org_a)
    missing = client_as("owner").post("/api/v1/sales/", payload, format="json")
    payload["store_id"] = str(org_a.stores[1].uuid)
    given = client_as("owner").post("/api/v1/sales/", payload, format="json")

    assert missing.status_code == 400
    assert "store_id" in missing.json()["error"]["fields"]
    assert given.status_code == 201
    assert given.json()["store_id"] == str(org_a.stores[1].uuid)


def test_sales_list_filters_by_store_local_dates(org_a, client_as, record_sale):
    import zoneinfo
    from datetime import datetime

    nairobi = zoneinfo.ZoneInfo("Africa/Nairobi")
    # 00:30 in Nairobi on the 25th is still the 24th in UTC: the store's date is what counts.
    record_sale(org_a, completed_at=datetime(2026, 11, 25, 0, 30, tzinfo=nairobi))
    record_sale(org_a, completed_at=datetime(2026, 11, 24, 12, 0, tzinfo=nairobi))

    response = client_as("manager").get("/api/v1/sales/?date_from=2026-11-25&date_to=2026-11-25")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"][0]["business_date"] == "2026-11-25"


def test_a_cashier_sees_only_their_own_sales(org_a, client_as, record_sale):
    record_sale(org_a, cashier=org_a.users["cashier"])
    record_sale(org_a, cashier=org_a.users["manager"])

    mine = client_as("cashier").get("/api/v1/sales/").json()
    everyone = client_as("manager").get("/api/v1/sales/").json()

    assert mine["count"] == 1
    assert everyone["count"] == 2
