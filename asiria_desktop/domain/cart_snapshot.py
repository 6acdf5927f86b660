"""Park and recall: a cart as a JSON-ready dict and back (`Cart.to_snapshot`, `from_snapshot`)."""

from __future__ import annotations

from typing import Any

from .cart_types import CartLine, PaymentEntry, PaymentMethod, ProductRef
from .json_types import JsonObject
from .pricing import Discount
from .tax import TaxClass

SNAPSHOT_VERSION = 1


def payment_to_dict(payment: PaymentEntry) -> JsonObject:
    return {
        "id": payment.id,
        "method": str(payment.method),
        "amount_cents": payment.amount_cents,
        "reference": payment.reference,
    }


def payment_from_dict(data: dict[str, Any]) -> PaymentEntry:
    return PaymentEntry(
        data["id"], PaymentMethod(data["method"]), int(data["amount_cents"]), data["reference"]
    )


def discount_to_dict(discount: Discount | None) -> JsonObject | None:
    if discount is None:
        return None
    return {
        "kind": str(discount.kind),
        "value": discount.value,
        "reason": discount.reason,
        "approved_by": discount.approved_by,
    }


def discount_from_dict(data: dict[str, Any] | None) -> Discount | None:
    if data is None:
        return None
    return Discount(
        data["kind"], int(data["value"]), data.get("reason", ""), data.get("approved_by")
    )


def line_to_dict(line: CartLine) -> JsonObject:
    p = line.product
    return {
        "id": line.id,
        "product": {
            "id": p.id,
            "name": p.name,
            "barcode": p.barcode,
            "price_cents": p.price_cents,
            "tax_class": str(p.tax_class),
            "sold_by_weight": p.sold_by_weight,
            "category_id": p.category_id,
        },
        "unit_price_cents": line.unit_price_cents,
        "qty": line.qty,
        "qty_milli": line.qty_milli,
        "discount": discount_to_dict(line.discount),
        "price_override_by": line.price_override_by,
        "original_price_cents": line.original_price_cents,
        "label_price_cents": line.label_price_cents,
    }


def line_from_dict(data: dict[str, Any]) -> CartLine:
    p = data["product"]
    product = ProductRef(
        p["id"],
        p["name"],
        p["barcode"],
        int(p["price_cents"]),
        TaxClass(p["tax_class"]),
        bool(p["sold_by_weight"]),
        p.get("category_id"),
    )
    return CartLine(
        data["id"],
        product,
        int(data["unit_price_cents"]),
        data["qty"],
        data["qty_milli"],
        discount_from_dict(data.get("discount")),
        data.get("price_override_by"),
        data.get("original_price_cents"),
        data.get("label_price_cents"),
    )
