"""Pure pricing of a cart: gross, discounts, tax and totals per line, and their sums.

Order of work for each line: gross (unit price x quantity, half-up for weights), the line's own
discount, then its share of the cart discount (largest-remainder, so the shares add up exactly),
then tax, half-up, on what is left. Every cart total is a sum over lines, so the receipt total
equals the sum of the lines and the tax summary equals the sum of the line taxes, to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .errors import InvalidAmount, InvalidQuantity
from .money import div_round_half_up, percent_of
from .tax import TaxClass, TaxSummaryLine, TaxTable, line_total, tax_for_line


class DiscountKind(StrEnum):
    PERCENT = "percent"
    AMOUNT = "amount"


@dataclass(frozen=True, slots=True)
class Discount:
    """``value`` is basis points for a percent discount (1000 = 10 %), cents for an amount."""

    kind: DiscountKind
    value: int
    reason: str = ""
    approved_by: str | None = None

    def __post_init__(self) -> None:
        # Accept the plain strings "percent"/"amount" from callers, store the enum.
        object.__setattr__(self, "kind", DiscountKind(self.kind))
        if self.value < 0:
            raise InvalidAmount("A discount can't be negative.")
        if self.kind is DiscountKind.PERCENT and self.value > 10_000:
            raise InvalidAmount("A discount can't be more than 100 %.")

    def cents_of(self, base_cents: int) -> int:
        """The discount on ``base_cents``, never more than the base."""
        if self.kind is DiscountKind.PERCENT:
            return min(percent_of(base_cents, self.value), base_cents)
        return min(self.value, base_cents)


@dataclass(frozen=True, slots=True)
class LineInput:
    line_id: str
    product_id: str
    name: str
    barcode: str | None
    tax_class: TaxClass
    unit_price_cents: int
    qty: int | None = None
    qty_milli: int | None = None
    line_discount: Discount | None = None

    def __post_init__(self) -> None:
        if (self.qty is None) == (self.qty_milli is None):
            raise InvalidQuantity(f"{self.name}: give either a count or a weight, not both.")
        if (self.qty is not None and self.qty < 1) or (
            self.qty_milli is not None and self.qty_milli < 1
        ):
            raise InvalidQuantity(f"{self.name}: the quantity must be more than zero.")
        if self.unit_price_cents < 0:
            raise InvalidAmount(f"{self.name}: a price can't be negative.")

    @property
    def gross_cents(self) -> int:
        if self.qty is not None:
            return self.unit_price_cents * self.qty
        assert self.qty_milli is not None
        return div_round_half_up(self.unit_price_cents * self.qty_milli, 1000)


@dataclass(frozen=True, slots=True)
class PricedLine:
    line_id: str
    product_id: str
    name: str
    barcode: str | None
    tax_class: TaxClass
    tax_rate_bp: int
    tax_inclusive: bool
    unit_price_cents: int
    qty: int | None
    qty_milli: int | None
    gross_cents: int
    line_discount_cents: int
    cart_discount_cents: int
    tax_cents: int
    total_cents: int

    @property
    def discount_cents(self) -> int:
        """All discount on this line, its share of the cart discount included."""
        return self.line_discount_cents + self.cart_discount_cents

    @property
    def net_cents(self) -> int:
        """Gross minus all discounts: the base the tax is computed on."""
        return self.gross_cents - self.discount_cents


@dataclass(frozen=True, slots=True)
class PricedCart:
    lines: tuple[PricedLine, ...]
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int
    tax_summary: tuple[TaxSummaryLine, ...]
    cart_discount_cents: int = 0

    def line(self, line_id: str) -> PricedLine:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise KeyError(line_id)


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` over ``weights`` in proportion, by largest remainder: the parts add up to
    ``amount`` exactly and, when ``amount <= sum(weights)``, no part exceeds its weight.

    Ties go to the earlier weight, so the result is deterministic.
    """
    total = sum(weights)
    if amount < 0 or any(w < 0 for w in weights):
        raise ValueError("allocate needs non-negative amount and weights")
    if total == 0:
        if amount:
            raise ValueError("cannot allocate a non-zero amount over zero weights")
        return [0 for _ in weights]
    floors = [amount * w // total for w in weights]
    remainders = [amount * w % total for w in weights]
    left = amount - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def price_cart(
    lines: Sequence[LineInput],
    cart_discount: Discount | None = None,
    tax_table: TaxTable | None = None,
) -> PricedCart:
    table = tax_table or TaxTable.kenya_default()
    gross = [line.gross_cents for line in lines]
    line_discounts = [
        line.line_discount.cents_of(g) if line.line_discount else 0
        for line, g in zip(lines, gross, strict=True)
    ]
    nets = [g - d for g, d in zip(gross, line_discounts, strict=True)]
    cart_discount_cents = cart_discount.cents_of(sum(nets)) if cart_discount else 0
    shares = allocate(cart_discount_cents, nets)

    priced: list[PricedLine] = []
    for line, g, ld, share in zip(lines, gross, line_discounts, shares, strict=True):
        rule = table.rule(line.tax_class)
        net = g - ld - share
        tax = tax_for_line(net, rule)
        priced.append(
            PricedLine(
                line_id=line.line_id,
                product_id=line.product_id,
                name=line.name,
                barcode=line.barcode,
                tax_class=line.tax_class,
                tax_rate_bp=rule.rate_bp,
                tax_inclusive=rule.inclusive,
                unit_price_cents=line.unit_price_cents,
                qty=line.qty,
                qty_milli=line.qty_milli,
                gross_cents=g,
                line_discount_cents=ld,
                cart_discount_cents=share,
                tax_cents=tax,
                total_cents=line_total(net, tax, rule),
            )
        )
    return PricedCart(
        lines=tuple(priced),
        subtotal_cents=sum(p.gross_cents for p in priced),
        discount_cents=sum(p.discount_cents for p in priced),
        tax_cents=sum(p.tax_cents for p in priced),
        total_cents=sum(p.total_cents for p in priced),
        tax_summary=summarise_taxes(priced),
        cart_discount_cents=cart_discount_cents,
    )


def summarise_taxes(lines: Sequence[PricedLine]) -> tuple[TaxSummaryLine, ...]:
    """One row per (tax class, rate) present, in ``TaxClass`` order; sums of the lines."""
    rows: dict[tuple[TaxClass, int], list[int]] = {}
    for line in lines:
        row = rows.setdefault((line.tax_class, line.tax_rate_bp), [0, 0])
        row[0] += line.total_cents - line.tax_cents
        row[1] += line.tax_cents
    order = list(TaxClass)
    return tuple(
        TaxSummaryLine(tax_class, rate, taxable, tax)
        for (tax_class, rate), (taxable, tax) in sorted(
            rows.items(), key=lambda item: (order.index(item[0][0]), item[0][1])
        )
    )
