"""Helpers for the sync tests: pushing envelopes as a till does, the contract's world."""

from __future__ import annotations

import copy
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from uuid6 import uuid7

CONTRACT = Path(__file__).resolve().parents[1] / "contract"
EXAMPLE_CASHIER = "5b0c4f0e-2d7a-4b8e-9a51-3c1f2e7d8a90"
EXAMPLE_MANAGER = "7d9e1a2b-3c4d-4e5f-8a6b-9c0d1e2f3a4b"  # approves the example's no-sale
EXAMPLE_PRODUCTS = [
    ("8f14e45f-ceea-4672-a5b1-1b2c3d4e5f60", "Coca-Cola 500ml", "5449000000996", 8000, "unit"),
    ("c9f0f895-fb98-4b91-9c2e-7a8b9c0d1e2f", "Tomatoes (kg)", None, 12000, "weight"),
    ("45c48cce-2e2d-4fbd-8a7c-6b5a4f3e2d1c", "White bread 400g", "6161002500401", 6500, "unit"),
]


def contract_json(name: str) -> Any:
    return json.loads((CONTRACT / name).read_text(encoding="utf-8"))


def example_world(org) -> None:
    """Give an organisation the people and products the contract's example events name."""
    from cloud_api.accounts.models import User
    from cloud_api.catalog.models import TaxClass
    from cloud_api.catalog.services import product_create

    for role, uuid in (("cashier", EXAMPLE_CASHIER), ("manager", EXAMPLE_MANAGER)):
        User.objects.filter(pk=org.users[role].pk).update(uuid=UUID(uuid))
        org.users[role].refresh_from_db()
    exempt = TaxClass.objects.get(organisation=org.organisation, code="exempt")
    coke, tomatoes = org.products[:2]  # make_org's Coca-Cola and tomatoes, priced as here
    bread = product_create(
        organisation=org.organisation,
        name="White bread 400g",
        barcode="6161002500401",
        price_cents=6500,
        tax_class=exempt,  # the example's bread carries no VAT
    )
    for product, (uuid, *_rest) in zip([coke, tomatoes, bread], EXAMPLE_PRODUCTS, strict=True):
        type(product).objects.filter(pk=product.pk).update(uuid=UUID(uuid))
        product.uuid = UUID(uuid)
    org.products[:2] = [coke, tomatoes]
    org.products.append(bread)


def as_the_example_till(org) -> None:
    """The contract's example sale is receipt S01-T02-000017: make the org's till T02."""
    type(org.terminal).objects.filter(pk=org.terminal.pk).update(code="T02")
    org.terminal.code = "T02"


def envelope(kind: str, payload: dict[str, Any], seq: int, recorded_at=None) -> dict[str, Any]:
    moment = recorded_at or datetime.now(UTC)
    return {
        "id": str(uuid7()),
        "type": kind,
        "seq": seq,
        "recorded_at": moment.isoformat(),
        "payload": copy.deepcopy(payload),
    }


def push(client, events: list[dict[str, Any]], *, gzipped: bool = True):
    body = json.dumps({"events": events}).encode()
    headers = {}
    if gzipped:
        body = gzip.compress(body)
        headers["HTTP_CONTENT_ENCODING"] = "gzip"
    return client.post("/api/v1/sync/push/", data=body, content_type="application/json", **headers)


def statuses(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return [result["status"] for result in response.json()["results"]]


def pull(client, cursor: str = "0", limit: int = 500) -> dict[str, Any]:
    response = client.get("/api/v1/sync/pull/", {"cursor": cursor, "limit": limit})
    assert response.status_code == 200, response.content[:500]
    return response.json()


def pull_all(client, cursor: str = "0", limit: int = 1000) -> tuple[list[dict[str, Any]], str]:
    changes: list[dict[str, Any]] = []
    while True:
        page = pull(client, cursor, limit)
        changes.extend(page["changes"])
        if not page["changes"] and page["cursor"] == cursor:
            return changes, cursor
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, cursor
