"""Receipt numbers belong to whoever makes the sale: a till numbers its own under its prefix,
people's sales get the server's series. Pushed events name only people of the till's store,
names carry no control characters, and goods sold by count come back in whole items."""

from __future__ import annotations

import pytest
from uuid6 import uuid7

from cloud_api.sales.models import Sale

from .conftest import make_org, terminal_client
from .sync_support import envelope, push, statuses


@pytest.fixture
def till(org_a):
    return terminal_client(org_a)


def second_till(org, store=None):
    from cloud_api.accounts.services import terminal_create, terminal_enroll

    _, code = terminal_create(
        store=store or org.stores[0], name="Till 2", created_by=org.users["owner"]
    )
    terminal, client_id, secret = terminal_enroll(code=code, name="Till 2")
    creds = type("Creds", (), {"client_id": client_id, "client_secret": secret})()
    return terminal, terminal_client(creds)


# ----- receipt numbers ----------------------------------------------------------------------


def test_a_person_cannot_take_a_tills_receipt_number(org_a, client_as, till):
    squatted = org_a.make_sale(receipt_no="S01-T01-506789")

    response = client_as("cashier").post("/api/v1/sales/", squatted, format="json")
    real = push(till, [envelope("sale.completed", org_a.make_sale(receipt_no="S01-T01-506789"), 1)])

    assert response.status_code == 201, response.content
    assert response.json()["receipt_no"] == "S01-W-000001"
    assert statuses(real) == ["applied"]
    assert Sale.objects.get(receipt_no="S01-T01-506789").terminal == org_a.terminal


def test_peoples_sales_are_numbered_in_the_stores_own_series(org_a, client_as):
    owner = client_as("owner")
    numbers = []
    for _ in range(3):
        payload = dict(org_a.make_sale(), store_id=str(org_a.stores[0].uuid))
        payload.pop("receipt_no")
        numbers.append(owner.post("/api/v1/sales/", payload, format="json").json()["receipt_no"])
    branch_sale = dict(org_a.make_sale(), store_id=str(org_a.stores[1].uuid))
    branch = owner.post("/api/v1/sales/", branch_sale, format="json")

    assert numbers == ["S01-W-000001", "S01-W-000002", "S01-W-000003"]
    assert branch.json()["receipt_no"] == "S02-W-000001"


def test_a_person_sending_the_same_sale_again_gets_the_same_number(org_a, client_as):
    payload = org_a.make_sale()

    first = client_as("cashier").post("/api/v1/sales/", payload, format="json")
    again = client_as("cashier").post("/api/v1/sales/", payload, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["receipt_no"] == again.json()["receipt_no"] == "S01-W-000001"
    assert Sale.objects.filter(uuid=payload["id"]).count() == 1


def test_a_till_cannot_push_a_sibling_tills_receipt_number(org_a, till):
    sibling, sibling_client = second_till(org_a)
    stolen = envelope("sale.completed", org_a.make_sale(receipt_no="S01-T02-000001"), 1)
    own = envelope("sale.completed", org_a.make_sale(receipt_no="S01-T01-000001"), 2)

    response = push(till, [stolen, own])
    org_a.terminal = sibling
    real = push(sibling_client, [envelope("sale.completed", org_a.make_sale(), 1)])
    legit = push(
        sibling_client,
        [envelope("sale.completed", org_a.make_sale(receipt_no="S01-T02-000001"), 2)],
    )

    assert statuses(response) == ["rejected", "applied"]
    assert "not this till's" in response.json()["results"][0]["error"]
    assert "S01-T01-<number>" in response.json()["results"][0]["error"]
    assert statuses(real) == ["applied"]
    assert statuses(legit) == ["applied"]


@pytest.mark.parametrize(
    "receipt_no", ["S02-T01-000001", "S01-T01X-000001", "S01-T1-000001", "S01-W-000001"]
)
def test_a_till_sale_through_the_api_needs_its_own_prefix_too(org_a, client_as, receipt_no):
    payload = org_a.make_sale(receipt_no=receipt_no)

    response = client_as("terminal").post("/api/v1/sales/", payload, format="json")

    assert response.status_code == 400
    assert "receipt_no" in response.json()["error"]["fields"]
    assert not Sale.objects.filter(uuid=payload["id"]).exists()


def test_no_terminal_may_be_coded_w(org_a):
    from django.core.exceptions import ValidationError

    org_a.terminal.code = "W"
    with pytest.raises(ValidationError):
        org_a.terminal.full_clean()


# ----- people named by pushed events ---------------------------------------------------------


def drawer_opened(cashier, approved_by=None):
    return {
        "id": str(uuid7()),
        "reason": "no_sale",
        "cashier_id": str(cashier.uuid),
        "approved_by": str(approved_by.uuid) if approved_by else None,
        "opened_at": "2026-11-24T10:00:00+03:00",
        "shift_id": None,
    }


def test_activity_names_only_people_of_the_tills_store(org_a, till):
    from cloud_api.accounts.models import Role
    from cloud_api.accounts.services import user_create
    from cloud_api.sync.models import TillActivity

    org_b = make_org("Gamma Traders", with_terminal=False)
    branch_cashier = user_create(
        actor=None,
        organisation=org_a.organisation,
        name="Branch cashier",
        email="cashier@branch.example",
        role=Role.CASHIER,
        password="Correct-Horse-Battery-9",
        store=org_a.stores[1],
        pin="4321",
    )
    events = [
        envelope("drawer.opened", drawer_opened(org_b.users["cashier"]), 1),
        envelope("drawer.opened", drawer_opened(branch_cashier), 2),
        envelope("drawer.opened", drawer_opened(org_a.users["cashier"], org_b.users["owner"]), 3),
        envelope("drawer.opened", drawer_opened(org_a.users["cashier"], org_a.users["owner"]), 4),
        envelope("drawer.opened", drawer_opened(org_a.users["cashier"], org_a.users["manager"]), 5),
    ]

    response = push(till, events)

    assert statuses(response) == ["rejected", "rejected", "rejected", "applied", "applied"]
    errors = [result.get("error", "") for result in response.json()["results"]]
    assert "not a person of this organisation" in errors[0]
    assert "works in another store" in errors[1]
    assert errors[2].startswith("approved_by")
    assert TillActivity.objects.filter(kind="drawer.opened").count() == 2


# ----- control characters -------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Coca\x00Cola", "Tab\there", "Esc\x1b[31m", "C1 \x85 next"])
def test_pushed_names_and_reasons_refuse_control_characters_like_the_api(org_a, till, bad):
    sale = org_a.make_sale()
    sale["lines"][0]["name"] = bad
    cash = {
        "id": str(uuid7()),
        "shift_id": None,
        "kind": "out",
        "amount_cents": 100,
        "reason": bad,
        "cashier_id": str(org_a.users["cashier"].uuid),
        "approved_by": None,
        "moved_at": "2026-11-24T10:00:00+03:00",
    }

    response = push(till, [envelope("sale.completed", sale, 1), envelope("cash.moved", cash, 2)])

    assert statuses(response) == ["rejected", "rejected"]
    assert not Sale.objects.filter(uuid=sale["id"]).exists()


# ----- refunds of goods sold by count --------------------------------------------------------


def test_half_an_item_sold_by_count_cannot_be_refunded(org_a, client_as, record_sale, till):
    coke = org_a.products[0]
    sale = record_sale(org_a, items=[(coke, 2, None)])
    line = sale.lines.get()

    half = client_as("manager").post(
        f"/api/v1/sales/{sale.uuid}/refunds/",
        {
            "method": "cash",
            "reason": "Flat",
            "lines": [{"line_id": str(line.uuid), "qty_milli": 500}],
        },
        format="json",
    )
    whole = client_as("manager").post(
        f"/api/v1/sales/{sale.uuid}/refunds/",
        {
            "method": "cash",
            "reason": "Flat",
            "lines": [{"line_id": str(line.uuid), "qty_milli": 1000}],
        },
        format="json",
    )

    assert half.status_code == 400
    assert "whole items" in half.json()["error"]["message"]
    assert whole.status_code == 201


def test_a_pushed_refund_of_half_a_counted_item_is_rejected(org_a, till):
    from cloud_api.sales.models import Refund

    from .test_sync_events import _refund

    sale = org_a.make_sale(items=[(org_a.products[0], 2, None)])
    half = _refund(sale, org_a.users["manager"])
    half["lines"][0].update(qty=None, qty_milli=500)
    whole = _refund(sale, org_a.users["manager"])

    response = push(
        till,
        [
            envelope("sale.completed", sale, 1),
            envelope("refund.created", half, 2),
            envelope("refund.created", whole, 3),
        ],
    )

    assert statuses(response) == ["applied", "rejected", "applied"]
    assert "whole items" in response.json()["results"][1]["error"]
    assert Refund.objects.filter(sale__uuid=sale["id"]).count() == 1
