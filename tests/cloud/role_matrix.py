"""The role matrix: who may run each operation of the API, and how a test runs it.

One ``Endpoint`` row per operation of the OpenAPI schema, keyed by (method, path template).
The tests take their cases from the schema itself (``schema_operations``), so an operation
added to the API without a row here fails them with the row to add; a row whose operation
left the schema fails too. Path parameters are named here after the object they address
(``{store}``, ``{sale}``...) and match whatever name the schema gives them.

Callers: the four roles of a person signed in (JWT), a till (OAuth2 client credentials) and
anonymous (no credentials), who may run only ``PUBLIC_OPERATIONS``.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from uuid6 import uuid7

from tests.cloud.conftest import PASSWORD, jwt_client
from tests.cloud.soft_authenticator import SoftAuthenticator

OWNER, MANAGER, CASHIER, HEAD_OFFICE, TERMINAL = (
    "owner",
    "manager",
    "cashier",
    "head_office",
    "terminal",
)
ANONYMOUS = "anonymous"
ROLES = [OWNER, MANAGER, CASHIER, HEAD_OFFICE, TERMINAL]
CALLERS = [*ROLES, ANONYMOUS]
PEOPLE = {OWNER, MANAGER, CASHIER, HEAD_OFFICE}
EVERYONE = PEOPLE | {TERMINAL}
ANYONE = EVERYONE | {ANONYMOUS}
BACK_OFFICE = {OWNER, MANAGER, HEAD_OFFICE}
WRITERS = {OWNER, MANAGER}
STORE_PEOPLE = {OWNER, MANAGER, CASHIER, TERMINAL}  # those who take payments at a store
PASSKEY_HOLDERS = {OWNER, MANAGER, HEAD_OFFICE}
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
PASSKEYS = "/api/v1/auth/passkeys/"

# Operations anyone may call without credentials: they hand out credentials (a password, a
# refresh token, an enrolment code or a passkey's answer stands in for them) or end them.
PUBLIC_OPERATIONS = frozenset(
    {
        ("POST", "/api/v1/auth/token/"),
        ("POST", "/api/v1/auth/token/refresh/"),
        ("POST", "/api/v1/auth/logout/"),
        ("POST", "/api/v1/terminals/enroll/"),
        ("POST", f"{PASSKEYS}login/options/"),
        ("POST", f"{PASSKEYS}login/verify/"),
        ("POST", f"{PASSKEYS}login/session/"),
    }
)
# Operations open only to a person signed in themselves: no OAuth2 token, whatever its scopes,
# may see, add or remove a way into someone's account.
PERSONAL_OPERATIONS = frozenset(
    {
        ("GET", PASSKEYS),
        ("DELETE", f"{PASSKEYS}{{}}/"),
        ("POST", f"{PASSKEYS}register/options/"),
        ("POST", f"{PASSKEYS}register/verify/"),
    }
)


def operation_key(method: str, path: str) -> tuple[str, str]:
    """(METHOD, path template) with the query left off and every path parameter written
    ``{}``, so ``/stores/{store}/`` here and ``/stores/{id}/`` in the schema are one key."""
    return method.upper(), re.sub(r"\{[^}]*\}", "{}", path.split("?")[0])


@functools.cache
def schema_document() -> dict[str, Any]:
    """The OpenAPI document /api/v1/schema/ serves, built by the same generator without a
    request (so collecting the tests needs neither MariaDB nor Redis)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return dict(json.loads(OpenApiJsonRenderer().render(schema)))


def schema_operations() -> list[tuple[str, str]]:
    """Every (METHOD, path template) of the schema, as the schema writes them."""
    return [
        (method.upper(), path)
        for path, item in schema_document()["paths"].items()
        for method in item
        if method in HTTP_METHODS
    ]


def operations_documented_public() -> set[tuple[str, str]]:
    """Operations the schema says need no credentials (no ``security``, or an empty entry)."""
    return {
        operation_key(method, path)
        for path, item in schema_document()["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS and (not operation.get("security") or {} in operation["security"])
    }


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    allowed: frozenset[str]
    body: Any = None  # dict, or callable(world, role) -> dict
    query: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return operation_key(self.method, self.path)

    @property
    def is_detail(self) -> bool:
        return "{" in self.path


def E(name, method, path, allowed, body=None, query="") -> Endpoint:
    return Endpoint(name, method, path, frozenset(allowed), body, query)


def missing_row_message(method: str, path: str) -> str:
    name = ".".join(part for part in path.removeprefix("/api/v1/").split("/") if part)
    return (
        f"{method} {path} is in the OpenAPI schema but not in the role matrix: add it to "
        f"ENDPOINTS in tests/cloud/role_matrix.py with the roles that may run it, e.g.\n"
        f'    E("{name}", "{method.lower()}", "{path}", {{OWNER, MANAGER}}, body),\n'
        "and, when anyone may call it without credentials, to PUBLIC_OPERATIONS."
    )


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


def _main_store_body(world, role):
    return {"store_id": str(world.stores[0].uuid)}


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


def _stk_body(world, role):
    return {"store_id": str(world.stores[0].uuid), "phone": "0712345678", "amount_cents": 5000}


def _claim_body(world, role):
    return {"store_id": str(world.stores[0].uuid), "phone": "0712345678", "amount_cents": 4500}


def _customer_body(world, role):
    return {"phone": "0733 000 999", "store_id": str(world.stores[0].uuid)}


def _campaign_body(world, role):
    return {"store_id": str(world.stores[0].uuid), "template": "weekend_offer"}


def _logs_body():
    """A till's log lines for support, as the till sends them."""
    import base64
    import gzip

    line = b'{"timestamp": "2026-12-05T10:00:00Z", "level": "info", "event": "started"}\n'
    return {
        "days": 1,
        "lines": 1,
        "content_gzip_base64": base64.b64encode(gzip.compress(line)).decode(),
    }


def _push_body(world, role):
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


def _sign_in_body(world, role):
    return {"email": world.users[OWNER].email, "password": PASSWORD}


def _refresh_body(world, role):
    from rest_framework_simplejwt.tokens import RefreshToken

    return {"refresh": str(RefreshToken.for_user(world.users[OWNER]))}


def _enrol_body(world, role):
    from cloud_api.accounts.services import terminal_create

    _, code = terminal_create(store=world.stores[0], name="Till 7", created_by=world.users[OWNER])
    return {"code": code, "name": "Till 7"}


def _passkey_answer(world):
    """The owner's passkey answering a sign-in challenge the API just gave."""
    from rest_framework.test import APIClient

    options = APIClient().post(f"{PASSKEYS}login/options/")
    assert options.status_code == 200, options.content
    return world.devices[OWNER].get(options.json())


def _passkey_login_body(world, role):
    return {"credential": _passkey_answer(world)}


def _passkey_session_body(world, role):
    return {"credential": _passkey_answer(world), "next": "/admin/"}


def _passkey_registration_body(world, role):
    """A new authenticator answering the registration challenge the caller asked for (a
    caller who may not register gets no challenge: the body does not matter then)."""
    if role not in PASSKEY_HOLDERS:
        return {}
    options = jwt_client(world.users[role]).post(
        f"{PASSKEYS}register/options/", {"password": PASSWORD}, format="json"
    )
    assert options.status_code == 200, options.content
    return {"name": "Laptop", "credential": SoftAuthenticator().create(options.json())}


ENDPOINTS = [
    E("auth.token", "post", "/api/v1/auth/token/", ANYONE, _sign_in_body),
    E("auth.refresh", "post", "/api/v1/auth/token/refresh/", ANYONE, _refresh_body),
    E("auth.logout", "post", "/api/v1/auth/logout/", ANYONE, _refresh_body),
    E("passkeys.list", "get", PASSKEYS, PASSKEY_HOLDERS),
    E("passkeys.revoke", "delete", f"{PASSKEYS}{{passkey}}/", PASSKEY_HOLDERS),
    E(
        "passkeys.register_options",
        "post",
        f"{PASSKEYS}register/options/",
        PASSKEY_HOLDERS,
        {"password": PASSWORD},
    ),
    E(
        "passkeys.register_verify",
        "post",
        f"{PASSKEYS}register/verify/",
        PASSKEY_HOLDERS,
        _passkey_registration_body,
    ),
    E("passkeys.login_options", "post", f"{PASSKEYS}login/options/", ANYONE),
    E("passkeys.login_verify", "post", f"{PASSKEYS}login/verify/", ANYONE, _passkey_login_body),
    E(
        "passkeys.login_session",
        "post",
        f"{PASSKEYS}login/session/",
        ANYONE,
        _passkey_session_body,
    ),
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
    E("terminals.enroll", "post", "/api/v1/terminals/enroll/", ANYONE, _enrol_body),
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
    E(
        "products.import",
        "post",
        "/api/v1/products/import/",
        WRITERS,
        {
            "file_name": "catalog.csv",
            "content_base64": base64.b64encode(b"name,price\nSprite 500ml,70\n").decode(),
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
    E("orders.confirm", "post", "/api/v1/purchase-orders/{order}/confirm/", WRITERS),
    E("forecasts.list", "get", "/api/v1/forecasts/", BACK_OFFICE),
    E("forecasts.refresh", "post", "/api/v1/forecasts/refresh/", WRITERS, _main_store_body),
    E("reorder_suggestions.list", "get", "/api/v1/reorder-suggestions/", BACK_OFFICE),
    E(
        "reorder_suggestions.draft_orders",
        "post",
        "/api/v1/reorder-suggestions/draft-orders/",
        WRITERS,
        _main_store_body,
    ),
    E("notifications.list", "get", "/api/v1/notifications/", PEOPLE),
    E("notifications.retrieve", "get", "/api/v1/notifications/{notification}/", PEOPLE),
    E("notifications.read", "post", "/api/v1/notifications/{notification}/read/", PEOPLE),
    E("notifications.read_all", "post", "/api/v1/notifications/read-all/", PEOPLE),
    E("notifications.preferences.get", "get", "/api/v1/notifications/preferences/", PEOPLE),
    E(
        "notifications.preferences.set",
        "put",
        "/api/v1/notifications/preferences/",
        PEOPLE,
        {"whatsapp_opt_in": True, "whatsapp_phone": "+254712345678", "kinds": []},
    ),
    E("customers.list", "get", "/api/v1/customers/", BACK_OFFICE),
    E("customers.retrieve", "get", "/api/v1/customers/{customer}/", BACK_OFFICE),
    E("customers.create", "post", "/api/v1/customers/", WRITERS, _customer_body),
    E("customers.update", "patch", "/api/v1/customers/{customer}/", WRITERS, {"name": "Akinyi"}),
    E("campaigns.list", "get", "/api/v1/customer-campaigns/", BACK_OFFICE),
    E("campaigns.retrieve", "get", "/api/v1/customer-campaigns/{campaign}/", BACK_OFFICE),
    E(
        "campaigns.create",
        "post",
        "/api/v1/customer-campaigns/",
        {OWNER, HEAD_OFFICE},
        _campaign_body,
    ),
    E("sync.push", "post", "/api/v1/sync/push/", {TERMINAL}, _push_body),
    E("sync.pull", "get", "/api/v1/sync/pull/", {TERMINAL}, query="cursor=0&limit=1000"),
    E("sync.logs", "post", "/api/v1/sync/logs/", {TERMINAL}, lambda w, r: _logs_body()),
    E("till_logs.list", "get", "/api/v1/till-logs/", BACK_OFFICE),
    E("till_logs.retrieve", "get", "/api/v1/till-logs/{till_log}/", BACK_OFFICE),
    E("till_logs.download", "get", "/api/v1/till-logs/{till_log}/download/", BACK_OFFICE),
    E("till_activity.list", "get", "/api/v1/till-activity/", BACK_OFFICE),
    E("till_activity.retrieve", "get", "/api/v1/till-activity/{activity}/", BACK_OFFICE),
    E(
        "reports.sales_summary",
        "get",
        "/api/v1/reports/sales-summary/",
        BACK_OFFICE,
        query="date_from=2026-11-01&date_to=2026-11-30",
    ),
    E("analytics.basket_rules", "get", "/api/v1/analytics/basket-rules/", BACK_OFFICE),
    E(
        "analytics.basket_rules.compute",
        "post",
        "/api/v1/analytics/basket-rules/compute/",
        WRITERS,
        lambda w, r: {"store_id": str(w.stores[0].uuid)},
    ),
    E("analytics.anomalies", "get", "/api/v1/analytics/anomalies/", BACK_OFFICE),
    E("analytics.insights", "get", "/api/v1/analytics/insights/", BACK_OFFICE),
    *(
        E(
            f"reports.{name}",
            "get",
            f"/api/v1/reports/{name}/",
            BACK_OFFICE,
            query="date_from=2026-11-01&date_to=2026-11-30",
        )
        for name in (
            "sales-by-day",
            "sales-by-week",
            "sales-by-month",
            "sales-by-store",
            "sales-by-terminal",
            "sales-by-cashier",
            "sales-by-product",
            "sales-by-category",
            "sales-by-payment-method",
            "gross-margin",
            "vat",
            "refunds-voids-discounts",
            "stock-valuation",
            "stock-movements",
            "purchases-by-supplier",
            "shifts",
        )
    ),
    E(
        "reports.exports.start",
        "post",
        "/api/v1/reports/exports/",
        BACK_OFFICE,
        {
            "report": "sales-by-day",
            "format": "csv",
            "date_from": "2026-11-01",
            "date_to": "2026-11-30",
        },
    ),
    E("reports.exports.retrieve", "get", "/api/v1/reports/exports/{export}/", BACK_OFFICE),
    E("reports.exports.download", "get", "/api/v1/reports/exports/{export}/download/", BACK_OFFICE),
]

TABLE = {endpoint.key: endpoint for endpoint in ENDPOINTS}


def populate(org) -> None:
    """Give an organisation one of everything the endpoints address."""
    from cloud_api.catalog.models import TaxClass
    from cloud_api.inventory.models import StockMovement
    from cloud_api.notifications.models import Notification
    from cloud_api.purchases.services import purchase_order_create
    from cloud_api.reporting.models import ExportJob
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
    org.till_log = _till_log(org)
    org.stk = _mpesa_world(org)
    org.notifications = {
        role: Notification.objects.create(
            organisation=org.organisation, user=user, message=f"Hello {role}"
        )
        for role, user in org.users.items()
    }
    org.customer, org.campaign = _customers_world(org)
    org.exports = {
        role: ExportJob.objects.create(
            organisation=org.organisation,
            requested_by=user,
            report="sales-by-day",
            file_format="csv",
            status="done",
            content=b"Day,Sales\n",
            filename="sales-by-day.csv",
        )
        for role, user in org.users.items()
    }
    org.devices = {role: SoftAuthenticator() for role in PASSKEY_HOLDERS}
    org.passkeys = {
        role: _passkey_of(org.users[role], device) for role, device in org.devices.items()
    }


def _customers_world(org):
    """One opted-in customer of the main store, and one campaign sent to its customers."""
    from cloud_api.customers.models import CustomerCampaign
    from cloud_api.customers.services import customer_create

    customer = customer_create(
        organisation=org.organisation,
        store=org.stores[0],
        name="Akinyi",
        phone="+254722000111",
        whatsapp_consent=True,
        source="admin",
    )
    campaign = CustomerCampaign.objects.create(
        organisation=org.organisation, store=org.stores[0], template="weekend_offer", language="en"
    )
    return customer, campaign


def _passkey_of(user, device: SoftAuthenticator):
    """The stored passkey of ``device``, as a registration through the API leaves it."""
    from webauthn.helpers import bytes_to_base64url

    from cloud_api.accounts.models import Passkey
    from cloud_api.accounts.passkeys.credentials import credential_key

    device.user_handle = user.uuid.bytes
    return Passkey.objects.create(
        user=user,
        name=f"Phone of {user.name}",
        credential_id=bytes_to_base64url(device.credential_id),
        credential_key=credential_key(device.credential_id),
        public_key=device.cose_public_key(),
    )


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


def _till_log(org):
    """Logs the organisation's till sent for support."""
    import base64

    from cloud_api.support.services import till_logs_store

    body = _logs_body()
    return till_logs_store(
        terminal=org.terminal,
        content=base64.b64decode(body["content_gzip_base64"]),
        days=1,
        lines=1,
        first_at=None,
        last_at=None,
        truncated=False,
        note="",
    )


def _till_activity(org):
    """A drawer opening pushed by the organisation's till."""
    from django.utils import timezone

    from cloud_api.sync.apply_activity import activity_record
    from cloud_api.sync.push_batch import PushContext

    context = PushContext(
        organisation=org.organisation, terminal=org.terminal, received_at=timezone.now()
    )
    payload = _push_body(org, TERMINAL)["events"][0]["payload"]
    return activity_record(context, "drawer.opened", payload)


def url_for(endpoint: Endpoint, org, role: str) -> str:
    notification = org.notifications.get(role) or next(iter(org.notifications.values()))
    passkey = org.passkeys.get(role) or org.passkeys[OWNER]
    export = org.exports.get(role) or org.exports[OWNER]
    path = endpoint.path.format(
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
        till_log=org.till_log.uuid,
        stk=org.stk.uuid,
        passkey=passkey.uuid,
        customer=org.customer.uuid,
        campaign=org.campaign.uuid,
        export=export.uuid,
    )
    return f"{path}?{endpoint.query}" if endpoint.query else path


def call(client, endpoint: Endpoint, url: str, world, role: str):
    body = endpoint.body(world, role) if callable(endpoint.body) else endpoint.body
    if endpoint.method == "get":
        return client.get(url)
    return getattr(client, endpoint.method)(url, body or {}, format="json")
