"""A product's SKU / PLU: kept by the cloud, unique per organisation, searchable, and pulled by
the tills (which find weighed items by it inside a scale label)."""

from __future__ import annotations

from .sync_support import pull, pull_all


def products(client, **query):
    response = client.get("/api/v1/products/", query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_product_is_created_and_listed_with_its_sku(org_a, client_as):
    created = client_as("owner").post(
        "/api/v1/products/",
        {"name": "Mangoes (kg)", "sku": "106", "price_cents": 15000, "sold_by": "weight"},
        format="json",
    )
    plain = client_as("owner").post(
        "/api/v1/products/", {"name": "Matches", "price_cents": 1000}, format="json"
    )

    assert created.status_code == 201, created.content
    assert created.json()["sku"] == "106"
    assert plain.json()["sku"] is None
    detail = client_as("cashier").get(f"/api/v1/products/{created.json()['id']}/").json()
    assert detail["sku"] == "106"
    listed = {p["name"]: p["sku"] for p in products(client_as("manager"))}
    assert listed["Mangoes (kg)"] == "106" and listed["Matches"] is None


def test_a_sku_is_changed_and_cleared(org_a, client_as):
    tomatoes = org_a.products[1]
    owner = client_as("owner")

    set_it = owner.patch(f"/api/v1/products/{tomatoes.uuid}/", {"sku": "101"}, format="json")
    listed = products(owner, sku="101")
    cleared = owner.patch(f"/api/v1/products/{tomatoes.uuid}/", {"sku": ""}, format="json")

    assert set_it.status_code == 200 and set_it.json()["sku"] == "101"
    assert [p["id"] for p in listed] == [str(tomatoes.uuid)]
    assert cleared.json()["sku"] is None
    assert products(owner, sku="101") == []


def test_a_duplicate_sku_is_refused_within_an_organisation_only(
    org_a, org_b, client_as, client_for
):
    body = {"name": "Onions (kg)", "sku": "102", "price_cents": 10000, "sold_by": "weight"}
    first = client_as("owner").post("/api/v1/products/", body, format="json")
    again = client_as("manager").post(
        "/api/v1/products/", {**body, "name": "Red onions (kg)"}, format="json"
    )
    moved = client_as("owner").patch(
        f"/api/v1/products/{org_a.products[1].uuid}/", {"sku": "102"}, format="json"
    )
    elsewhere = client_for(org_b.users["owner"]).post("/api/v1/products/", body, format="json")

    assert first.status_code == 201
    for clash in (again, moved):
        assert clash.status_code == 409, clash.content
        error = clash.json()["error"]
        assert error["code"] == "conflict"
        assert "102" in error["message"]
        assert error["fields"] == {"sku": ["Already used in this organisation."]}
    assert elsewhere.status_code == 201


def test_a_malformed_sku_is_refused_with_a_reason(org_a, client_as):
    response = client_as("owner").post(
        "/api/v1/products/", {"name": "Beans", "sku": "BE AN", "price_cents": 900}, format="json"
    )
    too_long = client_as("owner").post(
        "/api/v1/products/", {"name": "Peas", "sku": "P" * 65, "price_cents": 900}, format="json"
    )

    assert response.status_code == 400
    assert "sku" in response.json()["error"]["fields"]
    assert too_long.status_code == 400
    assert "sku" in too_long.json()["error"]["fields"]


def test_search_finds_a_product_by_its_sku(org_a, client_as):
    owner = client_as("owner")
    owner.patch(f"/api/v1/products/{org_a.products[1].uuid}/", {"sku": "TOM-01"}, format="json")

    found = products(owner, search="TOM-01")

    assert [p["name"] for p in found] == ["Tomatoes (kg)"]


def test_the_pull_carries_the_sku_and_its_changes(org_a, client_as):
    from .conftest import terminal_client

    till = terminal_client(org_a)
    tomatoes = org_a.products[1]
    client_as("owner").patch(f"/api/v1/products/{tomatoes.uuid}/", {"sku": "101"}, format="json")

    first, cursor = pull_all(till)
    client_as("owner").patch(f"/api/v1/products/{tomatoes.uuid}/", {"sku": "111"}, format="json")
    later = pull(till, cursor)["changes"]

    pulled = {c["data"]["id"]: c["data"] for c in first if c["entity"] == "product"}
    assert pulled[str(tomatoes.uuid)]["sku"] == "101"
    assert pulled[str(tomatoes.uuid)]["sold_by_weight"] is True
    assert pulled[str(org_a.products[0].uuid)]["sku"] is None
    assert [(c["entity"], c["data"]["sku"]) for c in later] == [("product", "111")]


def test_the_schema_documents_the_sku(db, client_as):
    schema = client_as("owner").get("/api/v1/schema/", {"format": "json"}).json()

    components = schema["components"]["schemas"]
    for name in ("ProductOut", "ProductInRequest", "PatchedProductUpdateInRequest"):
        assert "sku" in components[name]["properties"], name
    parameters = schema["paths"]["/api/v1/products/"]["get"]["parameters"]
    assert "sku" in {p["name"] for p in parameters}


def test_the_demo_stores_weighed_items_carry_their_plu(db):
    import asiria_demo_data as demo
    from cloud_api.catalog.models import Product, SoldBy
    from cloud_api.core.management.commands.demo_seed import seed_demo_store

    seed_demo_store()
    Product.objects.filter(sold_by=SoldBy.WEIGHT).update(sku=None)  # seeded before SKUs
    _, _, _, again = seed_demo_store()

    weighed = dict(Product.objects.filter(sold_by=SoldBy.WEIGHT).values_list("name", "sku"))
    assert weighed == {p.name: p.sku for p in demo.PRODUCTS if p.sold_by_weight}
    assert weighed["Tomatoes (kg)"] == "101"
    assert f"SKUs of {len(weighed)} weighed products" in again
