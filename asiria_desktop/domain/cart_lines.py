"""Ringing up a product: the limits of a line's quantity and weight, and the cart's new line
list once a product is added (merged into its line at the same price, or a new line)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from .cart_types import CartLine, ProductRef
from .errors import InvalidAmount, InvalidQuantity
from .money import MAX_CENTS, format_amount
from .pricing import label_weight_milli

MAX_QTY = 9_999  # a barcode typed into the quantity box is caught, not sold 5 billion times
MAX_QTY_MILLI = 1_000_000  # 1000 kg


def check_qty(name: str, qty: int | None, qty_milli: int | None) -> None:
    if qty is not None and not 1 <= qty <= MAX_QTY:
        raise InvalidQuantity(f"{name}: the quantity must be between 1 and {MAX_QTY}.")
    if qty_milli is not None and not 1 <= qty_milli <= MAX_QTY_MILLI:
        raise InvalidQuantity(f"{name}: the weight must be between 0.001 and 1000 kg.")


def ring_up(
    lines: Sequence[CartLine],
    product: ProductRef,
    new_id: Callable[[], str],
    *,
    qty: int,
    qty_milli: int | None,
    unit_price_cents: int | None,
    label_price_cents: int | None,
) -> tuple[list[CartLine], CartLine]:
    """The lines with ``product`` added, and its line (see ``Cart.add_product``); the cart
    commits them, or nothing if they no longer fit its tenders."""
    price = product.price_cents if unit_price_cents is None else unit_price_cents
    if not 0 <= price <= MAX_CENTS:
        raise InvalidAmount(f"{product.name}: the price {format_amount(price)} is not valid.")
    if label_price_cents is not None:
        if not 0 < label_price_cents <= MAX_CENTS:
            raise InvalidAmount(f"{product.name}: the label's price is not valid.")
        if product.sold_by_weight:
            line = _label_line(product, price, label_price_cents, new_id)
            return [*lines, line], line
        # A price label on an item sold by count (a cake cut in the shop): one piece.
        price = label_price_cents
    if qty_milli is not None:
        if not product.sold_by_weight:
            raise InvalidQuantity(f"{product.name} is sold by count, not by weight.")
        check_qty(product.name, None, qty_milli)
        line = CartLine(new_id(), product, price, None, qty_milli)
        return [*lines, line], line
    if product.sold_by_weight:
        raise InvalidQuantity(f"{product.name} is sold by weight. Weigh it or enter the weight.")
    check_qty(product.name, qty, None)
    for i, existing in enumerate(lines):
        if (
            existing.product.id == product.id
            and existing.qty is not None
            and existing.unit_price_cents == price
        ):
            check_qty(product.name, existing.qty + qty, None)
            merged = replace(existing, qty=existing.qty + qty)
            return [*lines[:i], merged, *lines[i + 1 :]], merged
    line = CartLine(new_id(), product, price, qty, None)
    return [*lines, line], line


def _label_line(
    product: ProductRef, price: int, label_price_cents: int, new_id: Callable[[], str]
) -> CartLine:
    if price == 0:
        raise InvalidAmount(
            f"{product.name} has no price per kg in the catalog, so the weight on its label "
            "can't be worked out. Ask the manager to set the price."
        )
    qty_milli = label_weight_milli(label_price_cents, price)
    if qty_milli < 1:
        raise InvalidQuantity(
            f"{product.name}: the label's price is less than a gram's worth. Weigh the item again."
        )
    check_qty(product.name, None, qty_milli)
    return CartLine(new_id(), product, price, None, qty_milli, label_price_cents=label_price_cents)
