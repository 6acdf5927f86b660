"""Products, categories, barcodes and price history."""

from __future__ import annotations

import pytest

from cloud_api.catalog.barcodes import barcode_problem, gs1_check_digit


@pytest.mark.parametrize(
    "code",
    [
        "5449000000996",
        "96385074",
        "036000291452",
        "6161002500401",
        "ABC-123",
        "12345",
        "00012345678905",
    ],
)
def test_good_barcodes_pass(code):
    assert barcode_problem(code) is None


@pytest.mark.parametrize("code", ["5449000000997", "96385075", "036000291453", "", "a b", "é123"])
def test_bad_barcodes_say_why(code):
    assert barcode_problem(code)


def test_check_digit_of_a_known_ean13():
    assert gs1_check_digit("544900000099") == 6


def test_a_barcode_is_unique_within_an_organisation_only(org_a, org_b, client_as, client_for):
    body = {"name": "Sprite", "barcode": "40822938", "price_cents": 7000}
    first = client_as("owner").post("/api/v1/products/", body, format="json")
    clash = client_as("manager").post("/api/v1/products/", body, format="json")
    elsewhere = client_for(org_b.users["owner"]).post("/api/v1/products/", body, format="json")

    assert first.status_code == 201
    assert clash.status_code == 409
    assert "barcode" in clash.json()["error"]["fields"]
    assert elsewhere.status_code == 201


def test_products_without_barcodes_do_not_clash(org_a, client_as):
    for name in ("Sukuma wiki", "Dhania"):
        response = client_as("owner").post(
            "/api/v1/products/",
            {"name": name, "price_cents": 2000, "tax_class": "exempt"},
            format="json",
        )
        assert response.status_code == 201
        assert response.json()["barcode"] is None


def test_a_price_change_is_kept_in_the_history(org_a, client_as):
    coke = org_a.products[0]
    client_as("owner").patch(f"/api/v1/products/{coke.uuid}/", {"price_cents": 8500}, format="json")
    client_as("manager").patch(
        f"/api/v1/products/{coke.uuid}/", {"name": "Coke 500ml"}, format="json"
    )

    history = client_as("head_office").get(f"/api/v1/products/{coke.uuid}/price-history/").json()

    assert [row["price_cents"] for row in history["results"]] == [8500, 8000]
    assert history["results"][0]["changed_by"] == "owner@alphashops.example"


def test_a_product_from_another_organisation_cannot_be_given_our_category(org_a, org_b, client_as):
    response = client_as("owner").post(
        "/api/v1/products/",
        {"name": "Sneaky", "price_cents": 100, "category_id": str(org_b.category.uuid)},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"category_id": ["Unknown category."]}


def test_deleting_a_product_retires_it(org_a, client_as, record_sale):
    record_sale(org_a)  # the product is named by a sale and must stay
    coke = org_a.products[0]

    response = client_as("owner").delete(f"/api/v1/products/{coke.uuid}/")

    assert response.status_code == 204
    assert client_as("owner").get(f"/api/v1/products/{coke.uuid}/").json()["active"] is False
    active = client_as("owner").get("/api/v1/products/?active=true").json()
    assert coke.name not in [p["name"] for p in active["results"]]


def test_product_search_matches_name_or_barcode(org_a, client_as):
    by_name = client_as("cashier").get("/api/v1/products/?search=coca").json()
    by_code = client_as("cashier").get("/api/v1/products/?search=5449000000996").json()

    assert [p["name"] for p in by_name["results"]] == ["Coca-Cola 500ml"]
    assert [p["name"] for p in by_code["results"]] == ["Coca-Cola 500ml"]


def test_category_names_are_unique_per_organisation_ignoring_case(org_a, client_as):
    response = client_as("owner").post("/api/v1/categories/", {"name": "drinks"}, format="json")

    assert response.status_code == 409


def test_tax_classes_are_the_three_of_the_contract(org_a, client_as):
    classes = client_as("terminal").get("/api/v1/tax-classes/").json()

    assert {(c["code"], c["rate_basis_points"]) for c in classes} == {
        ("standard", 1600),
        ("zero", 0),
        ("exempt", 0),
    }
