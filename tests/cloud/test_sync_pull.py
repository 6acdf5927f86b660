"""GET /sync/pull/: the catalog a till needs, paged by a cursor that never skips a change."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from .conftest import jwt_client, make_org, terminal_client
from .sync_support import pull, pull_all


@pytest.fixture
def till(org_a):
    return terminal_client(org_a)


def by_entity(changes, entity):
    return {c["data"]["id"]: c for c in changes if c["entity"] == entity}


def test_a_first_pull_brings_the_whole_catalog_in_the_documented_shapes(org_a, till):
    from cloud_api.inventory.services import stock_movement_record

    store, coke = org_a.stores[0], org_a.products[0]
    stock_movement_record(store=store, product=coke, delta_milli=24000, reason="adjustment")

    changes, _ = pull_all(till)

    assert {c["entity"] for c in changes} == {
        "tax_class",
        "category",
        "product",
        "user",
        "store",
        "stock_level",
    }
    product = by_entity(changes, "product")[str(coke.uuid)]["data"]
    assert product == {
        "id": str(coke.uuid),
        "name": "Coca-Cola 500ml",
        "barcode": "5449000000996",
        "sku": None,
        "price_cents": 8000,
        "tax_class": "standard",
        "category_id": str(org_a.category.uuid),
        "sold_by_weight": False,
        "active": True,
    }
    assert by_entity(changes, "product")[str(org_a.products[1].uuid)]["data"]["sold_by_weight"]
    cashier = by_entity(changes, "user")[str(org_a.users["cashier"].uuid)]["data"]
    assert cashier["pin_hash"].startswith("$argon2id$") and cashier["role"] == "cashier"
    assert str(org_a.users["head_office"].uuid) not in by_entity(changes, "user") or (
        by_entity(changes, "user")[str(org_a.users["head_office"].uuid)]["op"] == "delete"
    )
    level = by_entity(changes, "stock_level")[str(coke.uuid)]["data"]
    assert level == {
        "id": str(coke.uuid),
        "product_id": str(coke.uuid),
        "on_hand_milli": 24000,
        "low_stock_threshold_milli": None,
    }
    standard = [c["data"] for c in changes if c["entity"] == "tax_class"]
    assert {"code": "standard", "rate_bp": 1600, "inclusive": True}.items() <= next(
        t for t in standard if t["code"] == "standard"
    ).items()
    store_data = by_entity(changes, "store")[str(store.uuid)]["data"]
    assert (store_data["currency"], store_data["time_zone"]) == ("KES", "Africa/Nairobi")


def test_pages_carry_a_cursor_has_more_and_remaining(org_a, till):
    first = pull(till, "0", 3)
    second = pull(till, first["cursor"], 3)
    everything, last = pull_all(till, "0", 1000)
    empty = pull(till, last, 3)

    assert len(first["changes"]) <= 3 and first["has_more"] is True
    assert first["remaining"] >= len(everything) - 3 - 3  # dedupe makes pages shorter
    assert int(second["cursor"]) > int(first["cursor"])
    assert {c["seq"] for c in first["changes"]}.isdisjoint({c["seq"] for c in second["changes"]})
    assert empty == {"changes": [], "cursor": last, "has_more": False, "remaining": 0}


def test_an_entity_changed_often_comes_once_per_page_newest_wins(org_a, till, client_as):
    _, cursor = pull_all(till)
    for price in (8100, 8200, 8300):
        client_as("owner").patch(
            f"/api/v1/products/{org_a.products[0].uuid}/", {"price_cents": price}, format="json"
        )

    page = pull(till, cursor)

    assert [(c["entity"], c["data"]["price_cents"]) for c in page["changes"]] == [("product", 8300)]


def test_every_write_path_reaches_the_till(org_a, till, client_as):
    from cloud_api.accounts.services import organisation_update

    before, cursor = pull_all(till)
    owner = client_as("owner")
    cashier = org_a.users["cashier"]
    writes = [
        owner.post("/api/v1/categories/", {"name": "Snacks"}, format="json"),
        owner.patch(f"/api/v1/categories/{org_a.category.uuid}/", {"name": "Cold"}, format="json"),
        owner.post(
            "/api/v1/products/",
            {"name": "Fanta", "barcode": "96385074", "price_cents": 7000, "tax_class": "standard"},
            format="json",
        ),
        owner.patch(
            f"/api/v1/products/{org_a.products[1].uuid}/", {"price_cents": 13000}, format="json"
        ),
        owner.delete(f"/api/v1/products/{org_a.products[0].uuid}/"),
        owner.patch(f"/api/v1/users/{cashier.uuid}/", {"pin": "9876"}, format="json"),
        owner.patch(
            f"/api/v1/stores/{org_a.stores[0].uuid}/", {"address": "Moi Ave"}, format="json"
        ),
        owner.post(
            "/api/v1/stock-levels/threshold/",
            {
                "store_id": str(org_a.stores[0].uuid),
                "product_id": str(org_a.products[1].uuid),
                "low_stock_threshold_milli": 2000,
            },
            format="json",
        ),
    ]
    assert all(response.status_code < 300 for response in writes), [
        (r.status_code, r.content[:200]) for r in writes
    ]
    organisation_update(organisation=org_a.organisation, time_zone="Africa/Kampala")

    changes, cursor = pull_all(till, cursor)
    owner.patch(f"/api/v1/users/{cashier.uuid}/", {"is_active": False}, format="json")
    deactivated, _ = pull_all(till, cursor)

    products = by_entity(changes, "product")
    assert products[str(org_a.products[0].uuid)]["data"]["active"] is False  # retired
    assert products[str(org_a.products[1].uuid)]["data"]["price_cents"] == 13000
    assert "Fanta" in {c["data"]["name"] for c in products.values()}
    assert {c["data"]["name"] for c in by_entity(changes, "category").values()} >= {
        "Snacks",
        "Cold",
    }
    new_hash = by_entity(changes, "user")[str(cashier.uuid)]["data"]["pin_hash"]
    assert new_hash != by_entity(before, "user")[str(cashier.uuid)]["data"]["pin_hash"]
    store = by_entity(changes, "store")[str(org_a.stores[0].uuid)]["data"]
    assert (store["address"], store["time_zone"]) == ("Moi Ave", "Africa/Kampala")
    level = by_entity(changes, "stock_level")[str(org_a.products[1].uuid)]["data"]
    assert level["low_stock_threshold_milli"] == 2000
    assert by_entity(deactivated, "user")[str(cashier.uuid)]["data"]["active"] is False


def test_a_pushed_sale_moves_the_stock_the_till_pulls(org_a, till):
    from .sync_support import envelope, push, statuses

    _, cursor = pull_all(till)
    sale = org_a.make_sale(items=[(org_a.products[0], 3, None)])
    assert statuses(push(till, [envelope("sale.completed", sale, 1)])) == ["applied"]

    changes, _ = pull_all(till, cursor)

    level = by_entity(changes, "stock_level")[str(org_a.products[0].uuid)]["data"]
    assert level["on_hand_milli"] == -3000


def test_store_bound_changes_go_to_that_stores_tills_only(org_a, till, client_as):
    from cloud_api.accounts.services import terminal_create, terminal_enroll

    branch = org_a.stores[1]
    _, code = terminal_create(store=branch, name="Branch till", created_by=org_a.users["owner"])
    _, client_id, secret = terminal_enroll(code=code, name="Branch till")
    branch_till = terminal_client(
        type("Org", (), {"client_id": client_id, "client_secret": secret})()
    )
    _, main_cursor = pull_all(till)
    _, branch_cursor = pull_all(branch_till)
    client_as("owner").post(
        "/api/v1/stock-movements/",
        {
            "store_id": str(branch.uuid),
            "product_id": str(org_a.products[0].uuid),
            "delta_milli": 5000,
            "note": "delivery",
        },
        format="json",
    )

    main_changes, _ = pull_all(till, main_cursor)
    branch_changes, _ = pull_all(branch_till, branch_cursor)

    assert main_changes == []
    assert [c["entity"] for c in branch_changes] == ["stock_level"]
    assert branch_changes[0]["data"]["on_hand_milli"] == 5000


def test_another_organisations_changes_never_reach_a_till(org_a, org_b, till):
    changes, _ = pull_all(till)

    theirs = {str(p.uuid) for p in org_b.products} | {str(u.uuid) for u in org_b.users.values()}
    theirs |= {str(s.uuid) for s in org_b.stores} | {str(org_b.category.uuid)}
    assert not theirs & {c["data"]["id"] for c in changes}


def test_people_may_not_pull_and_bad_cursors_are_refused(org_a, till):
    from cloud_api.accounts.services import terminal_revoke

    for role in ("owner", "manager", "cashier", "head_office"):
        assert jwt_client(org_a.users[role]).get("/api/v1/sync/pull/").status_code == 403
    for query in ({"cursor": "abc"}, {"limit": "0"}, {"limit": "1001"}, {"cursor": "-1"}):
        response = till.get("/api/v1/sync/pull/", query)
        assert response.status_code == 400, query
        assert response.json()["error"]["code"] == "invalid"
    terminal_revoke(terminal=org_a.terminal)
    revoked = till.get("/api/v1/sync/pull/")
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "terminal_revoked"


def test_an_empty_incremental_pull_is_one_cheap_query(org_a, till):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, cursor = pull_all(till)
    pull(till, cursor)  # token and terminal now cached by the connection's first use

    with CaptureQueriesContext(connection) as queries:
        page = pull(till, cursor)

    assert page["changes"] == []
    sync_queries = [q["sql"] for q in queries if "sync_change" in q["sql"]]
    assert len(sync_queries) == 2  # "anything to stamp?" and the page itself, both indexed


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_late_is_still_pulled():
    """A writer holds its change open while a later one commits and is pulled: the cursor
    moves past the later one, and the held change still arrives afterwards."""
    from cloud_api.sync.services import changes_record

    org = make_org("Late Commits")
    till = terminal_client(org)
    _, cursor = pull_all(till)
    inserted, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                changes_record(
                    organisation_id=org.organisation.pk,
                    entity="product",
                    entity_ids=[org.products[1].uuid],
                )
                inserted.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inserted.wait(10)
    changes_record(
        organisation_id=org.organisation.pk, entity="category", entity_ids=[org.category.uuid]
    )
    early, cursor = pull_all(till, cursor)
    release.set()
    thread.join(10)
    late, _ = pull_all(till, cursor)

    assert [c["entity"] for c in early] == ["category"]
    assert [(c["entity"], c["data"]["id"]) for c in late] == [
        ("product", str(org.products[1].uuid))
    ]


def test_receipt_details_set_by_head_office_reach_the_stores_tills(org_a, till, client_as):
    store = org_a.stores[0]
    _, cursor = pull_all(till)

    response = client_as("owner").patch(
        f"/api/v1/stores/{store.uuid}/",
        {"tax_pin": "P051234567X", "phone": "+254 700 000 000", "receipt_footer": "Karibu tena!"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["tax_pin"] == "P051234567X"

    changes, _ = pull_all(till, cursor)
    data = by_entity(changes, "store")[str(store.uuid)]["data"]
    assert (data["tax_pin"], data["phone"], data["receipt_footer"]) == (
        "P051234567X",
        "+254 700 000 000",
        "Karibu tena!",
    )
