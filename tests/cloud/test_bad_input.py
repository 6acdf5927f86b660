"""Bad input is answered 4xx with a message, and nothing is half-written."""

from __future__ import annotations

import pytest

from cloud_api.catalog.models import Category, Product
from cloud_api.inventory.models import StockLevel, StockMovement
from cloud_api.sales.models import Sale


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["message"]
    return body["error"]


def test_malformed_json_is_a_400_with_a_message(org_a, client_as):
    response = client_as("owner").post(
        "/api/v1/categories/", '{"name": "Drin', content_type="application/json"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_request"


def test_a_body_that_is_not_json_is_refused(org_a, client_as):
    response = client_as("owner").post(
        "/api/v1/categories/", "name=Snacks", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    error_of(response)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Fanta", "price_cents": "eighty", "tax_class": "standard"}, "price_cents"),
        ({"name": "Fanta", "price_cents": 12.5, "tax_class": "standard"}, "price_cents"),
        ({"name": "Fanta", "price_cents": -1, "tax_class": "standard"}, "price_cents"),
        ({"name": "Fanta", "price_cents": 10**15, "tax_class": "standard"}, "price_cents"),
        ({"name": "Fanta", "price_cents": 100, "tax_class": "luxury"}, "tax_class"),
        ({"name": "", "price_cents": 100}, "name"),
        ({"name": ["Fanta"], "price_cents": 100}, "name"),
        ({"name": "Fanta\x07", "price_cents": 100}, "name"),
        ({"name": "Fanta", "price_cents": 100, "barcode": "5449000000997"}, "barcode"),
        ({"name": "Fanta", "price_cents": 100, "barcode": "1234 5670"}, "barcode"),
        ({"name": "Fanta", "price_cents": 100, "barcode": "x" * 65}, "barcode"),
        ({"name": "Fanta", "price_cents": 100, "category_id": "not-a-uuid"}, "category_id"),
        (
            {
                "name": "Fanta",
                "price_cents": 100,
                "category_id": "0193f000-0000-7000-8000-000000000000",
            },
            "category_id",
        ),
        ({"name": "Fanta" * 100, "price_cents": 100}, "name"),
    ],
)
def test_bad_product_fields_are_named_in_the_error(org_a, client_as, body, field):
    before = Product.objects.count()

    response = client_as("owner").post("/api/v1/products/", body, format="json")

    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]
    assert Product.objects.count() == before


def test_a_json_list_instead_of_an_object_is_a_400(org_a, client_as):
    response = client_as("owner").post("/api/v1/products/", [1, 2], format="json")

    assert response.status_code == 400
    error_of(response)


@pytest.mark.parametrize(
    "name",
    [
        "Chai ☕ & mandazi 🍩",
        "Ugali ya 日本",
        "Robert'); DROP TABLE catalog_product;--",
        '100% "real" juice',
    ],
)
def test_unicode_emoji_and_sql_metacharacters_are_stored_verbatim(org_a, client_as, name):
    response = client_as("owner").post(
        "/api/v1/products/", {"name": name, "price_cents": 5000}, format="json"
    )

    assert response.status_code == 201, response.content
    stored = client_as("owner").get(f"/api/v1/products/{response.json()['id']}/").json()
    assert stored["name"] == name
    assert Product.objects.filter(name=name).count() == 1


def test_sql_metacharacters_in_filters_are_just_text(org_a, client_as):
    response = client_as("owner").get("/api/v1/products/?search=%27%20OR%201%3D1%20--")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_bad_filter_values_are_a_400(org_a, client_as):
    bad_date = client_as("owner").get("/api/v1/sales/?date_from=yesterday")
    bad_uuid = client_as("owner").get("/api/v1/sales/?store_id=42")

    assert bad_date.status_code == 400
    assert "date_from" in error_of(bad_date)["fields"]
    assert bad_uuid.status_code == 400


def test_an_oversized_body_is_refused_before_it_is_read(org_a, client_as, settings):
    settings.MAX_REQUEST_BODY_BYTES = 10_000
    body = {"name": "x" * 20_000}

    response = client_as("owner").post("/api/v1/categories/", body, format="json")

    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"
    assert not Category.objects.filter(name__startswith="xxx").exists()


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda p: p["lines"][0].update(qty=-2), "lines"),
        (lambda p: p["lines"][0].update(qty=2, qty_milli=2000), "lines"),
        (lambda p: p["lines"][0].update(unit_price_cents="80.00"), "lines"),
        (lambda p: p["payments"][0].update(method="bitcoin"), "payments"),
        (lambda p: p.update(lines=[]), "lines"),
        (lambda p: p.update(payments=[]), "payments"),
        (lambda p: p.update(total_cents=10**12), "total_cents"),
        (lambda p: p.update(currency="USD"), "currency"),
        (lambda p: p.update(receipt_no="not a receipt"), "receipt_no"),
        (lambda p: p.update(completed_at="24/11/2026"), "completed_at"),
        (lambda p: p.update(cashier_id="0193f000-0000-7000-8000-000000000000"), "cashier_id"),
        (
            lambda p: p["lines"][0].update(product_id="0193f000-0000-7000-8000-000000000000"),
            "lines",
        ),
        (lambda p: p["lines"][0].update(discount_cents=999_999), "lines[0].discount_cents"),
    ],
)
def test_bad_sales_are_refused_whole(org_a, client_as, make_sale, mutate, field):
    payload = make_sale(org_a)
    mutate(payload)

    response = client_as("cashier").post("/api/v1/sales/", payload, format="json")

    assert 400 <= response.status_code < 500
    assert field in error_of(response)["fields"]
    assert not Sale.objects.exists()
    assert not StockMovement.objects.exists()
    assert not StockLevel.objects.exists()


def test_a_sale_reusing_a_line_id_of_another_sale_is_refused_whole(org_a, client_as, make_sale):
    first = make_sale(org_a)
    client_as("cashier").post("/api/v1/sales/", first, format="json")
    second = make_sale(org_a)
    second["lines"][0]["id"] = first["lines"][0]["id"]

    response = client_as("cashier").post("/api/v1/sales/", second, format="json")

    assert response.status_code == 409
    assert Sale.objects.count() == 1
    assert StockMovement.objects.count() == 2  # the first sale's two lines only


def test_an_unknown_url_is_json_not_html(org_a, client_as):
    response = client_as("owner").get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_malformed_id_in_the_url_is_a_404(org_a, client_as):
    response = client_as("owner").get("/api/v1/products/12345/")

    assert response.status_code == 404
    error_of(response)


def test_no_credentials_is_a_401_with_a_message(db):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/products/")

    assert response.status_code == 401
    error_of(response)
