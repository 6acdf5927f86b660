"""Every endpoint x every role, and every role against another organisation's objects.

A role that may act gets a 2xx on its own organisation's objects and a 404 on another
organisation's (never their data); a role that may not act gets a 403 either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from uuid6 import uuid7

OWNER, MANAGER, CASHIER, HEAD_OFFICE, TERMINAL = (
    "owner",
    "manager",
    "cashier",
    "head_office",
    "terminal",
)
ROLES = [OWNER, MANAGER, CASHIER, HEAD_OFFICE, TERMINAL]
PEOPLE = {OWNER, MANAGER, CASHIER, HEAD_OFFICE}
EVERYONE = PEOPLE | {TERMINAL}
BACK_OFFICE = {OWNER, MANAGER, HEAD_OFFICE}
WRITERS = {OWNER, MANAGER}
STORE_PEOPLE = {OWNER, MANAGER, CASHIER, TERMINAL}  # those who take payments at a store


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    allowed: frozenset[str]
    body: Any = None  # dict, or callable(world, role) -> dict

    @property
    def is_detail(self) -> bool:
        return "{" in self.path


def E(name, method, path, allowed, body=None) -> Endpoint:
    return Endpoint(name, method, path, frozenset(allowed), body)


def _user_body(world, role):
    body = {
        "name": "New Cashier",
        "email": f"new-{uuid7().hex[:10]}@example.com",
        "role": "cashier",
        "password": "Another-Long-Pass-77",
        "pin": "4321",
    }
    if role == OWNER:
        body["store_id"] = str(world.stores[0].uuid)
    return body


def _sale_body(world, role):
    cashier = world.users[role] if role in PEOPLE else world.users[CASHIER]
    body = world.make_sale(cashier=cashier)
    body["store_id"] = str(world.stores[0].uuid)
    return body


def _order_body(world, role):
    return {
        "supplier_id": str(world.supplier.uuid),
        "store_id": str(world.stores[0].uuid),
        "lines": [
            {
                "product_id": str(world.products[0].uuid),
                "quantity_milli": 24000,
                "cost_price_cents": 5500,
            }
        ],
    }


def _refund_body(world, role):
    return {
        "method": "cash",
        "reason": "Damaged bottle",
        "lines": [{"line_id": str(world.sale.lines.first().uuid), "qty": 1}],
    }


def _push_body(world, role):
    from datetime import UTC, datetime

    payload = {
        "id": str(uuid7()),
        "reason": "no_sale",
        "cashier_id": str(world.users[CASHIER].uuid),
        "approved_by": None,
        "opened_at": datetime.now(UTC).isoformat(),
    }
    event = {
        "id": str(uuid7()),
        "type": "drawer.opened",
        "seq": 1,
        "recorded_at": payload["opened_at"],
        "payload": payload,
    }
    return {"events": [event]}


def _stk_body(world, role):
    return {"store_id": str(world.stores[0].uuid), "phone": "0712345678", "amount_cents": 5000}


def _claim_body(world, role):
    return {"store_id": str(world.stores[0].uuid), "phone": "0712345678", "amount_cents": 4500}


@pytest.fixture(autouse=True)
def _daraja(fake_daraja):
    """M-Pesa prompts reach the fake Daraja."""


ENDPOINTS = [
    E("organisation.get", "get", "/api/v1/organisation/", EVERYONE),
    E(
        "organisation.update",
        "patch",
        "/api/v1/organisation/",
        {OWNER},
        {"time_zone": "Africa/Kampala"},
    ),
    E("stores.list", "get", "/api/v1/stores/", EVERYONE),
    E("stores.retrieve", "get", "/api/v1/stores/{store}/", EVERYONE),
    E(
        "stores.create",
        "post",
        "/api/v1/stores/",
        {OWNER},
        lambda w, r: {"name": f"Kiosk {uuid7().hex[:6]}"},
    ),
    E("stores.update", "patch", "/api/v1/stores/{store}/", {OWNER}, {"address": "Moi Avenue 1"}),
    E("users.list", "get", "/api/v1/users/", BACK_OFFICE),
    E("users.retrieve", "get", "/api/v1/users/{cashier}/", BACK_OFFICE),
    E("users.create", "post", "/api/v1/users/", WRITERS, _user_body),
    E("users.update", "patch", "/api/v1/users/{cashier}/", WRITERS, {"name": "Renamed"}),
    E("users.me", "get", "/api/v1/users/me/", PEOPLE),
    E("terminals.list", "get", "/api/v1/terminals/", BACK_OFFICE),
    E("terminals.retrieve", "get", "/api/v1/terminals/{terminal}/", BACK_OFFICE),
    E(
        "terminals.create",
        "post",
        "/api/v1/terminals/",
        WRITERS,
        lambda w, r: {"store_id": str(w.stores[0].uuid), "name": "Till 9"},
    ),
    E("terminals.new_code", "post", "/api/v1/terminals/{terminal}/enrollment-code/", WRITERS),
    E("terminals.revoke", "post", "/api/v1/terminals/{terminal}/revoke/", WRITERS),
    E("tax_classes.list", "get", "/api/v1/tax-classes/", EVERYONE),
    E("tax_classes.retrieve", "get", "/api/v1/tax-classes/{tax_class}/", EVERYONE),
    E("categories.list", "get", "/api/v1/categories/", EVERYONE),
    E("categories.retrieve", "get", "/api/v1/categories/{category}/", EVERYONE),
    E("categories.create", "post", "/api/v1/categories/", WRITERS, {"name": "Snacks"}),
    E(
        "categories.update",
        "patch",
        "/api/v1/categories/{category}/",
        WRITERS,
        {"name": "Cold drinks"},
    ),
    E("categories.delete", "delete", "/api/v1/categories/{category}/", WRITERS),
    E("products.list", "get", "/api/v1/products/", EVERYONE),
    E("products.retrieve", "get", "/api/v1/products/{product}/", EVERYONE),
    E("products.price_history", "get", "/api/v1/products/{product}/price-history/", EVERYONE),
    E(
        "products.create",
        "post",
        "/api/v1/products/",
        WRITERS,
        {
            "name": "Fanta 500ml",
            "barcode": "96385074",
            "price_cents": 7000,
            "tax_class": "standard",
        },
    ),
    E("products.update", "patch", "/api/v1/products/{product}/", WRITERS, {"price_cents": 8500}),
    E("products.delete", "delete", "/api/v1/products/{product}/", WRITERS),
    E("stock_levels.list", "get", "/api/v1/stock-levels/", PEOPLE),
    E(
        "stock_levels.threshold",
        "post",
        "/api/v1/stock-levels/threshold/",
        WRITERS,
        lambda w, r: {
            "store_id": str(w.stores[0].uuid),
            "product_id": str(w.products[0].uuid),
            "low_stock_threshold_milli": 5000,
        },
    ),
    E("stock_movements.list", "get", "/api/v1/stock-movements/", BACK_OFFICE),
    E("stock_movements.retrieve", "get", "/api/v1/stock-movements/{movement}/", BACK_OFFICE),
    E(
        "stock_movements.create",
        "post",
        "/api/v1/stock-movements/",
        WRITERS,
        lambda w, r: {
            "store_id": str(w.stores[0].uuid),
            "product_id": str(w.products[0].uuid),
            "delta_milli": 12000,
            "note": "Recount",
        },
    ),
    E("sales.list", "get", "/api/v1/sales/", PEOPLE),
    E("sales.retrieve", "get", "/api/v1/sales/{sale}/", PEOPLE),
    E("sales.create", "post", "/api/v1/sales/", EVERYONE - {HEAD_OFFICE}, _sale_body),
    E(
        "sales.void",
        "post",
        "/api/v1/sales/{sale}/void/",
        WRITERS,
        {"reason": "Customer changed mind"},
    ),
    E("sales.refunds.list", "get", "/api/v1/sales/{sale}/refunds/", WRITERS),
    E("sales.refunds.create", "post", "/api/v1/sales/{sale}/refunds/", WRITERS, _refund_body),
    E("payments.list", "get", "/api/v1/payments/", PEOPLE),
    E("payments.retrieve", "get", "/api/v1/payments/{payment}/", PEOPLE),
    E("mpesa.stk.create", "post", "/api/v1/payments/mpesa/stk/", STORE_PEOPLE, _stk_body),
    E("mpesa.stk.retrieve", "get", "/api/v1/payments/mpesa/stk/{stk}/", STORE_PEOPLE),
    E("mpesa.c2b.claim", "post", "/api/v1/payments/mpesa/c2b/claim/", STORE_PEOPLE, _claim_body),
    E("suppliers.list", "get", "/api/v1/suppliers/", BACK_OFFICE),
    E("suppliers.retrieve", "get", "/api/v1/suppliers/{supplier}/", BACK_OFFICE),
    E(
        "suppliers.create",
        "post",
        "/api/v1/suppliers/",
        WRITERS,
        {"name": "Kapa Oil", "phone": "+254 700 000000"},
    ),
    E(
        "suppliers.update",
        "patch",
        "/api/v1/suppliers/{supplier}/",
        WRITERS,
        {"contact": "Wanjiru"},
    ),
    E("orders.list", "get", "/api/v1/purchase-orders/", BACK_OFFICE),
    E("orders.retrieve", "get", "/api/v1/purchase-orders/{order}/", BACK_OFFICE),
    E("orders.create", "post", "/api/v1/purchase-orders/", WRITERS, _order_body),
    E("orders.receive", "post", "/api/v1/purchase-orders/{order}/receive/", WRITERS, {}),
    E("orders.cancel", "post", "/api/v1/purchase-orders/{order}/cancel/", WRITERS),
    E("notifications.list", "get", "/api/v1/notifications/", PEOPLE),
    E("notifications.retrieve", "get", "/api/v1/notifications/{notification}/", PEOPLE),
    E("notifications.read", "post", "/api/v1/notifications/{notification}/read/", PEOPLE),
    E("notifications.read_all", "post", "/api/v1/notifications/read-all/", PEOPLE),
    E("sync.push", "post", "/api/v1/sync/push/", {TERMINAL}, _push_body),
    E("sync.pull", "get", "/api/v1/sync/pull/?cursor=0&limit=1000", {TERMINAL}),
    E("till_activity.list", "get", "/api/v1/till-activity/", BACK_OFFICE),
    E("till_activity.retrieve", "get", "/api/v1/till-activity/{activity}/", BACK_OFFICE),
    E(
        "reports.sales_summary",
        "get",
        "/api/v1/reports/sales-summary/?date_from=2026-11-01&date_to=2026-11-30",
        BACK_OFFICE,
    ),
]


def populate(org) -> None:
    """Give an organisation one of everything the endpoints address."""
    from cloud_api.catalog.models import TaxClass
    from cloud_api.inventory.models import StockMovement
    from cloud_api.notifications.models import Notification
    from cloud_api.purchases.services import purchase_order_create
    from cloud_api.sales.serializers import SaleIn
    from cloud_api.sales.services import sale_record

    data = SaleIn(data=org.make_sale())
    data.is_valid(raise_exception=True)
    payload = dict(data.validated_data)
    payload.pop("store_id")
    org.sale, _ = sale_record(organisation=org.organisation, store=org.stores[0], payload=payload)
    org.payment = org.sale.payments.first()
    org.movement = StockMovement.objects.filter(store=org.stores[0]).first()
    org.tax_class = TaxClass.objects.get(organisation=org.organisation, code="standard")
    org.order = purchase_order_create(
        organisation=org.organisation,
        store=org.stores[0],
        supplier=org.supplier,
        lines=[{"product": org.products[0], "quantity_milli": 12000, "cost_price_cents": 5000}],
    )
    org.activity = _till_activity(org)
    org.stk = _mpesa_world(org)
    org.notifications = {
        role: Notification.objects.create(
            organisation=org.organisation, user=user, message=f"Hello {role}"
        )
        for role, user in org.users.items()
    }


def _mpesa_world(org):
    """The main store takes M-Pesa; one prompt was sent, one till-number payment is unclaimed."""
    from cloud_api.payments.models import MpesaC2BPayment, MpesaStkAttempt

    from .mpesa_support import configure_store

    configure_store(org.stores[0])
    MpesaC2BPayment.objects.create(
        store=org.stores[0],
        trans_id=f"QK{uuid7().hex[-8:].upper()}",
        amount_cents=4500,
        business_short_code="174379",
        msisdn="25471****678",
        body={},
    )
    return MpesaStkAttempt.objects.create(
        organisation=org.organisation,
        store=org.stores[0],
        terminal=org.terminal,
        phone="254712345678",
        amount_cents=5000,
    )


def _till_activity(org):
    """A drawer opening pushed by the organisation's till."""
    from django.utils import timezone

    from cloud_api.sync.apply_activity import activity_record
    from cloud_api.sync.push_services import PushContext

    context = PushContext(
        organisation=org.organisation, terminal=org.terminal, received_at=timezone.now()
    )
    payload = _push_body(org, TERMINAL)["events"][0]["payload"]
    return activity_record(context, "drawer.opened", payload)


def url_for(endpoint: Endpoint, org, role: str) -> str:
    notification = org.notifications.get(role) or next(iter(org.notifications.values()))
    return endpoint.path.format(
        store=org.stores[0].uuid,
        cashier=org.users[CASHIER].uuid,
        terminal=org.terminal.uuid,
        tax_class=org.tax_class.uuid,
        category=org.category.uuid,
        product=org.products[0].uuid,
        movement=org.movement.uuid,
        sale=org.sale.uuid,
        payment=org.payment.uuid,
        supplier=org.supplier.uuid,
        order=org.order.uuid,
        notification=notification.uuid,
        activity=org.activity.uuid,
        stk=org.stk.uuid,
    )


def call(client, endpoint: Endpoint, url: str, world, role: str):
    body = endpoint.body(world, role) if callable(endpoint.body) else endpoint.body
    if endpoint.method == "get":
        return client.get(url)
    return getattr(client, endpoint.method)(url, body or {}, format="json")


CASES = [(endpoint, role) for endpoint in ENDPOINTS for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), CASES, ids=[f"{e.name}-{r}" for e, r in CASES])
def test_role_matrix(org_a, client_as, endpoint: Endpoint, role: str):
    populate(org_a)

    response = call(client_as(role), endpoint, url_for(endpoint, org_a, role), org_a, role)

    if role in endpoint.allowed:
        assert 200 <= response.status_code < 300, (response.status_code, response.content[:400])
    else:
        assert response.status_code == 403, (response.status_code, response.content[:400])
        assert response.json()["error"]["code"] in {"permission_denied", "forbidden"}


DETAIL_CASES = [(e, r) for e, r in CASES if e.is_detail]


@pytest.mark.parametrize(
    ("endpoint", "role"), DETAIL_CASES, ids=[f"{e.name}-{r}" for e, r in DETAIL_CASES]
)
def test_another_organisations_objects_are_not_found(
    org_a, org_b, client_as, endpoint: Endpoint, role: str
):
    populate(org_a)
    populate(org_b)

    response = call(client_as(role), endpoint, url_for(endpoint, org_b, role), org_a, role)

    expected = 404 if role in endpoint.allowed else 403
    assert response.status_code == expected, (response.status_code, response.content[:400])
    assert org_b.organisation.name not in response.content.decode()


LIST_CASES = [(e, r) for e, r in CASES if e.method == "get" and not e.is_detail and r in e.allowed]


@pytest.mark.parametrize(
    ("endpoint", "role"), LIST_CASES, ids=[f"{e.name}-{r}" for e, r in LIST_CASES]
)
def test_lists_never_show_another_organisations_rows(
    org_a, org_b, client_as, endpoint: Endpoint, role: str
):
    populate(org_a)
    populate(org_b)
    foreign = [
        org_b.stores[0].uuid,
        org_b.stores[1].uuid,
        org_b.products[0].uuid,
        org_b.category.uuid,
        org_b.supplier.uuid,
        org_b.sale.uuid,
        org_b.payment.uuid,
        org_b.order.uuid,
        org_b.terminal.uuid,
        org_b.tax_class.uuid,
        org_b.activity.uuid,
        org_b.stk.uuid,
        *(user.uuid for user in org_b.users.values()),
        *(note.uuid for note in org_b.notifications.values()),
    ]

    response = call(client_as(role), endpoint, url_for(endpoint, org_a, role), org_a, role)

    assert response.status_code == 200
    text = response.content.decode()
    assert not [str(uuid) for uuid in foreign if str(uuid) in text]


def test_a_store_bound_manager_sees_only_their_store(org_a, client_as):
    populate(org_a)
    branch = org_a.stores[1]

    stores = client_as(MANAGER).get("/api/v1/stores/").json()
    other_store = client_as(MANAGER).get(f"/api/v1/stores/{branch.uuid}/")

    assert [store["id"] for store in stores["results"]] == [str(org_a.stores[0].uuid)]
    assert other_store.status_code == 404
