"""How a product reads on a button or in a list (display only, no pricing)."""

from __future__ import annotations

from asiria_desktop.services.results import ProductView


def price_text(product: ProductView) -> str:
    return f"{product.price_text} /kg" if product.sold_by_weight else str(product.price_text)
