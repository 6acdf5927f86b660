"""Catalog rows as the cloud sends them (docs/design/sync.md, Pull), for the fake cloud."""

from __future__ import annotations

from typing import Any

from asiria_desktop.domain.barcodes import gs1_check_digit

STORE_ID = "0193a000-0000-7000-8000-000000000005"
CATEGORY_ID = "0193b000-0000-7000-8000-000000000001"


def ean13(n: int) -> str:
    body = f"617{n:09d}"  # not a demo code (those start with 616)
    return body + str(gs1_check_digit(body))


def product_id(n: int) -> str:
    return f"0193c000-0000-7000-8000-{n:012d}"


def product(n: int, **changes: Any) -> dict[str, Any]:
    return {
        "id": product_id(n),
        "name": f"Cloud item {n:06d}",
        "barcode": ean13(n),
        "sku": f"CL{n}",
        "price_cents": 1000 + n,
        "tax_class": "standard",
        "category_id": CATEGORY_ID,
        "sold_by_weight": False,
        "active": True,
        **changes,
    }


def seed_catalog(cloud: Any, products: int, *, pin_hash: str | None = None) -> None:
    cloud.add_change(
        "tax_class",
        {
            "id": "0193d000-0000-7000-8000-000000000001",
            "code": "standard",
            "name": "VAT 16%",
            "rate_bp": 1600,
            "inclusive": True,
        },
    )
    cloud.add_change("category", {"id": CATEGORY_ID, "name": "Cloud goods", "parent_id": None})
    cloud.add_changes("product", [product(n) for n in range(1, products + 1)])
    cloud.add_change(
        "store",
        {
            "id": STORE_ID,
            "code": "S07",
            "name": "Fake Store Westlands",
            "address": "Westlands",
            "tax_pin": "P000000001Z",
            "phone": "+254 700 000 001",
            "receipt_footer": "Asante!",
            "currency": "KES",
            "time_zone": "Africa/Nairobi",
        },
    )
    cloud.add_change(
        "stock_level",
        {
            "id": product_id(1),
            "product_id": product_id(1),
            "on_hand_milli": 24000,
            "low_stock_threshold_milli": 5000,
        },
    )
    if pin_hash is not None:
        cloud.add_change(
            "user",
            {
                "id": "0193e000-0000-7000-8000-000000000001",
                "name": "Njeri",
                "role": "cashier",
                "pin_hash": pin_hash,
                "active": True,
            },
        )
