"""How a product reads on a button or in a list (display only, no pricing)."""

from __future__ import annotations

from typing import Any


def price_text(product: Any) -> str:
    return f"{product.price_text} /kg" if product.sold_by_weight else str(product.price_text)
