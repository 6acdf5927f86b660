"""Pure pricing of a cart: gross, discounts, tax and totals per line, and their sums.

Order of work: each line's gross (unit price x quantity, half-up for weights; a scale label's
printed price as it is), the line's own discount, then its share of the cart discount, then the
tax band by band (``tax.band_line_taxes``: the band's tax on its total, shared over its lines).
The cart discount is shared first over the tax bands, then over each band's lines (largest
remainder both times, so the shares add up exactly and a band's total does not depend on how its
goods are split into lines). Every cart total is a sum over lines, so the receipt total equals
the sum of the lines and the tax summary equals the sum of the line taxes, to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .errors import InvalidAmount, InvalidQuantity
from .money import allocate, div_round_half_up, percent_of
from .tax import ETIMS_BANDS, TaxClass, TaxSummaryLine, TaxTable, band_line_taxes, line_total

__all__ = [
    "Discount",
    "DiscountKind",
    "LineInput",
    "PricedCart",
    "PricedLine",
    "allocate",
    "label_weight_milli",
    "price_cart",
    "summarise_taxes",
]


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
    #: The price printed on a scale label: the line's gross, exactly (its weight is in qty_milli).
    label_price_cents: int | None = None

    def __post_init__(self) -> None:
        if self.label_price_cents is not None and (
            self.qty_milli is None or self.label_price_cents < 0
        ):
            raise InvalidAmount(f"{self.name}: a label price needs the label's weight.")
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
        if self.label_price_cents is not None:
            return self.label_price_cents
        assert self.qty_milli is not None
        return div_round_half_up(self.unit_price_cents * self.qty_milli, 1000)


def label_weight_milli(label_price_cents: int, unit_price_cents: int) -> int:
    """The weight a scale's price label stands for: price / price per kg, to the gram, half-up.

    The scale priced the item as weight x price per kg rounded to the cent, so for any price per
    kg above 10.00 (a gram is worth more than a cent) this gives back the scale's own weight.
    """
    if unit_price_cents <= 0:
        raise ValueError("a weight comes from a price only at a price per kg above zero")
    return div_round_half_up(label_price_cents * 1000, unit_price_cents)


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


def price_cart(
    lines: Sequence[LineInput],
    cart_discount: Discount | None = None,
    tax_table: TaxTable | None = None,
) -> PricedCart:
    table = tax_table or TaxTable.kenya_default()
    rules = [table.rule(line.tax_class) for line in lines]
    gross = [line.gross_cents for line in lines]
    line_discounts = [
        line.line_discount.cents_of(g) if line.line_discount else 0
        for line, g in zip(lines, gross, strict=True)
    ]
    nets = [g - d for g, d in zip(gross, line_discounts, strict=True)]
    cart_discount_cents = cart_discount.cents_of(sum(nets)) if cart_discount else 0
    bands = _bands(lines)
    shares = [0] * len(lines)
    band_shares = allocate(cart_discount_cents, [sum(nets[i] for i in band) for band in bands])
    for band, band_share in zip(bands, band_shares, strict=True):
        for i, share in zip(band, allocate(band_share, [nets[i] for i in band]), strict=True):
            shares[i] = share
    taxable = [net - share for net, share in zip(nets, shares, strict=True)]
    taxes = [0] * len(lines)
    for band in bands:
        band_taxes = band_line_taxes([taxable[i] for i in band], rules[band[0]])
        for i, tax in zip(band, band_taxes, strict=True):
            taxes[i] = tax

    priced = [
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
        for line, rule, g, ld, share, net, tax in zip(
            lines, rules, gross, line_discounts, shares, taxable, taxes, strict=True
        )
    ]
    return PricedCart(
        lines=tuple(priced),
        subtotal_cents=sum(p.gross_cents for p in priced),
        discount_cents=sum(p.discount_cents for p in priced),
        tax_cents=sum(p.tax_cents for p in priced),
        total_cents=sum(p.total_cents for p in priced),
        tax_summary=summarise_taxes(priced),
        cart_discount_cents=cart_discount_cents,
    )


def _bands(lines: Sequence[LineInput]) -> list[list[int]]:
    """The indexes of the lines of each tax band, bands in eTIMS letter order."""
    bands: dict[TaxClass, list[int]] = {}
    for i, line in enumerate(lines):
        bands.setdefault(line.tax_class, []).append(i)
    return [bands[tax_class] for tax_class in sorted(bands, key=ETIMS_BANDS.__getitem__)]


def summarise_taxes(lines: Sequence[PricedLine]) -> tuple[TaxSummaryLine, ...]:
    """One row per (tax class, rate) present, in eTIMS band letter order; sums of the lines."""
    rows: dict[tuple[TaxClass, int], list[int]] = {}
    for line in lines:
        row = rows.setdefault((line.tax_class, line.tax_rate_bp), [0, 0])
        row[0] += line.total_cents - line.tax_cents
        row[1] += line.tax_cents
    return tuple(
        TaxSummaryLine(tax_class, rate, taxable, tax)
        for (tax_class, rate), (taxable, tax) in sorted(
            rows.items(), key=lambda item: (ETIMS_BANDS[item[0][0]], item[0][1])
        )
    )
