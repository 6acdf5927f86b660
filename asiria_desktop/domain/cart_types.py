"""The values a cart is made of: products as rung up, lines, tenders and payment methods."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import DomainError, InvalidAmount
from .money import MAX_CENTS
from .pricing import Discount, LineInput
from .tax import TaxClass


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    MPESA = "mpesa"


PAYMENT_LABELS = {
    PaymentMethod.CASH: "Cash",
    PaymentMethod.CARD: "Card",
    PaymentMethod.MPESA: "M-Pesa",
}


@dataclass(frozen=True, slots=True)
class ProductRef:
    id: str
    name: str
    barcode: str | None
    price_cents: int
    tax_class: TaxClass
    sold_by_weight: bool = False
    category_id: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise DomainError("This product has no name. Ask the manager to fix it in the catalog.")
        if not 0 <= self.price_cents <= MAX_CENTS:
            raise InvalidAmount(f"{self.name} has an invalid price. Ask the manager to fix it.")


@dataclass(frozen=True, slots=True)
class CartLine:
    """One line of the cart. ``original_price_cents`` is the catalog price when overridden;
    ``label_price_cents`` the price printed on a scale label, which is then the line's gross
    (its weight, ``qty_milli``, is worked out from it)."""

    id: str
    product: ProductRef
    unit_price_cents: int
    qty: int | None
    qty_milli: int | None
    discount: Discount | None = None
    price_override_by: str | None = None
    original_price_cents: int | None = None
    label_price_cents: int | None = None

    def to_input(self) -> LineInput:
        return LineInput(
            line_id=self.id,
            product_id=self.product.id,
            name=self.product.name,
            barcode=self.product.barcode,
            tax_class=self.product.tax_class,
            unit_price_cents=self.unit_price_cents,
            qty=self.qty,
            qty_milli=self.qty_milli,
            line_discount=self.discount,
            label_price_cents=self.label_price_cents,
        )


@dataclass(frozen=True, slots=True)
class PaymentEntry:
    id: str
    method: PaymentMethod
    amount_cents: int
    reference: str | None = None
