"""Fixtures for the cloud tests: real MariaDB (test_asiria) and real Redis (DB 15).

The suite refuses to run against anything else: when MariaDB or Redis cannot be reached it
tries to start them (scripts/ensure_services.sh) and otherwise stops with a clear message.
"""

from __future__ import annotations

import subprocess
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from uuid6 import uuid7

from .mpesa_support import fake_daraja  # noqa: F401  (the fixture, for every cloud test)

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Correct-Horse-Battery-9"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def services_up() -> None:
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "ensure_services.sh")], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.exit(
            "The cloud tests need MariaDB and Redis:\n" + result.stdout + result.stderr,
            returncode=3,
        )


@pytest.fixture(scope="session")
def django_db_setup(services_up, django_db_setup):
    yield


@pytest.fixture(autouse=True)
def _fresh_redis(request):
    """Cache pages and rate-limit counters must not leak from one test into the next."""
    if "django_db_setup" not in request.fixturenames and "db" not in request.fixturenames:
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class Org:
    organisation: Any
    stores: list[Any]
    users: dict[str, Any] = field(default_factory=dict)
    terminal: Any = None
    category: Any = None
    products: list[Any] = field(default_factory=list)
    supplier: Any = None


def make_org(name: str, *, with_terminal: bool = True) -> Org:
    from cloud_api.accounts.models import Role
    from cloud_api.accounts.services import organisation_create, store_create, user_create
    from cloud_api.catalog.models import TaxClass
    from cloud_api.catalog.services import category_create, product_create
    from cloud_api.purchases.services import supplier_create

    organisation = organisation_create(name=name)
    main = store_create(organisation=organisation, name=f"{name} Main")
    branch = store_create(organisation=organisation, name=f"{name} Branch")
    org = Org(organisation=organisation, stores=[main, branch])
    slug = name.lower().replace(" ", "")
    for role, store in [
        (Role.OWNER, None),
        (Role.MANAGER, main),
        (Role.CASHIER, main),
        (Role.HEAD_OFFICE, None),
    ]:
        org.users[role] = user_create(
            actor=None,
            organisation=organisation,
            name=f"{role} of {name}",
            email=f"{role}@{slug}.example",
            role=role,
            password=PASSWORD,
            store=store,
            pin="1234" if role == Role.CASHIER else None,
        )
    org.category = category_create(organisation=organisation, name="Drinks")
    standard = TaxClass.objects.get(organisation=organisation, code="standard")
    exempt = TaxClass.objects.get(organisation=organisation, code="exempt")
    org.products = [
        product_create(
            organisation=organisation,
            name="Coca-Cola 500ml",
            barcode="5449000000996",
            price_cents=8000,
            tax_class=standard,
            category=org.category,
        ),
        product_create(
            organisation=organisation,
            name="Tomatoes (kg)",
            price_cents=12000,
            tax_class=exempt,
            sold_by="weight",
        ),
    ]
    org.supplier = supplier_create(organisation=organisation, name="Bidco")
    org.make_sale = lambda **kwargs: sale_payload(org, **kwargs)
    if with_terminal:
        from cloud_api.accounts.services import terminal_create, terminal_enroll

        _, code = terminal_create(store=main, name="Till 1", created_by=org.users[Role.OWNER])
        org.terminal, org.client_id, org.client_secret = terminal_enroll(code=code, name="Till 1")
    return org


@pytest.fixture
def org_a(db) -> Org:
    return make_org("Alpha Shops")


@pytest.fixture
def org_b(db) -> Org:
    return make_org("Beta Stores")


def jwt_client(user):
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def terminal_client(org: Org):
    """A till's client, with a token from the real client-credentials grant."""
    from rest_framework.test import APIClient

    client = APIClient()
    response = client.post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic_auth(org.client_id, org.client_secret),
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    return client


def basic_auth(client_id: str, secret: str) -> str:
    import base64
    from urllib.parse import quote

    raw = f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode()
    return "Basic " + base64.b64encode(raw).decode()


@pytest.fixture
def client_for():
    """An API client logged in (JWT) as the given user."""
    return jwt_client


@pytest.fixture
def client_as(org_a):
    """client_as("owner" | "manager" | "cashier" | "head_office" | "terminal")."""
    cache: dict[str, Any] = {}

    def build(role: str):
        if role not in cache:
            cache[role] = (
                terminal_client(org_a) if role == "terminal" else jwt_client(org_a.users[role])
            )
        return cache[role]

    return build


def with_band_taxes(lines: list[dict[str, Any]], tax_classes: list[Any]) -> list[dict[str, Any]]:
    """Set each tax-inclusive line's ``tax_cents`` to its share of its band's tax."""
    from cloud_api.sales.tax import band_line_taxes

    bands: dict[str, list[int]] = {}
    for index, tax_class in enumerate(tax_classes):
        bands.setdefault(tax_class.code, []).append(index)
    for indexes in bands.values():
        tax_class = tax_classes[indexes[0]]
        taxes = band_line_taxes(
            [lines[i]["total_cents"] for i in indexes],
            rate_bp=tax_class.rate_basis_points,
            inclusive=True,
        )
        for i, tax in zip(indexes, taxes, strict=True):
            lines[i]["tax_cents"] = tax
    return lines


def sale_payload(
    org: Org,
    *,
    cashier=None,
    items: list[tuple[Any, int | None, int | None]] | None = None,
    receipt_no: str | None = None,
    pay: list[tuple[str, int]] | None = None,
    completed_at: datetime | None = None,
) -> dict[str, Any]:
    """A valid ``sale.completed`` payload whose amounts add up (ARCHITECTURE 6.1), its tax
    worked out per tax band as the till does (``cloud_api.sales.tax``)."""
    cashier = cashier or org.users["cashier"]
    items = items or [(org.products[0], 2, None), (org.products[1], None, 1250)]
    lines = []
    for product, qty, qty_milli in items:
        gross = (
            product.price_cents * qty
            if qty is not None
            else ((product.price_cents * qty_milli * 2 + 1000) // 2000)
        )
        lines.append(
            {
                "id": str(uuid7()),
                "product_id": str(product.uuid),
                "barcode": product.barcode,
                "name": product.name,
                "qty": qty,
                "qty_milli": qty_milli,
                "unit_price_cents": product.price_cents,
                "discount_cents": 0,
                "tax_cents": 0,
                "total_cents": gross,
            }
        )
    with_band_taxes(lines, [product.tax_class for product, _, _ in items])
    total = sum(line["total_cents"] for line in lines)
    # A till numbers its sales under its own prefix (the cloud refuses another till's).
    prefix = f"{org.stores[0].code}-{org.terminal.code if org.terminal else 'T01'}"
    pay = pay or [("cash", total)]
    paid = sum(amount for _, amount in pay)
    moment = completed_at or datetime(
        2026, 11, 24, 13, 5, 42, tzinfo=zoneinfo.ZoneInfo("Africa/Nairobi")
    )
    return {
        "id": str(uuid7()),
        "receipt_no": receipt_no or f"{prefix}-{uuid7().int % 10**6:06d}",
        "cashier_id": str(cashier.uuid),
        "shift_id": None,
        "completed_at": moment.isoformat(),
        "currency": "KES",
        "lines": lines,
        "payments": [
            {"id": str(uuid7()), "method": method, "amount_cents": amount, "reference": None}
            for method, amount in pay
        ],
        "subtotal_cents": total,
        "discount_cents": 0,
        "tax_cents": sum(line["tax_cents"] for line in lines),
        "total_cents": total,
        "change_cents": paid - total,
    }


@pytest.fixture
def make_sale():
    return sale_payload


@pytest.fixture
def record_sale():
    """Store a sale through the service (for tests about what comes after)."""

    def record(org: Org, **kwargs: Any):
        from cloud_api.sales.serializers import SaleIn
        from cloud_api.sales.services import sale_record

        data = SaleIn(data=sale_payload(org, **kwargs))
        data.is_valid(raise_exception=True)
        payload = dict(data.validated_data)
        payload.pop("store_id")
        sale, _ = sale_record(organisation=org.organisation, store=org.stores[0], payload=payload)
        return sale

    return record
