"""Tax classes, their KRA eTIMS band letters, and the tax of a sale band by band.

A band is the lines of one tax class at one rate. Its tax is worked out once, half-up, on the
band's total (what KRA's eTIMS invoice states as the band's taxable amount and tax), then shared
over the band's lines by largest remainder. So the lines still add up to the tax summary to the
cent, and the same goods give the same tax however they are split into lines
(docs/decisions.md, "VAT per band").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from .errors import DomainError
from .money import allocate, div_round_half_up


class TaxClass(StrEnum):
    STANDARD = "standard"
    ZERO = "zero"
    EXEMPT = "exempt"


#: The letter of each tax class on KRA eTIMS invoices and receipts (eTIMS tax type codes:
#: A exempt, B VAT 16 %, C zero-rated, D non-VAT, E VAT 8 %; D and E have no class here yet).
ETIMS_BANDS: Mapping[TaxClass, str] = MappingProxyType(
    {TaxClass.EXEMPT: "A", TaxClass.STANDARD: "B", TaxClass.ZERO: "C"}
)

#: Short labels for receipts and reports.
TAX_CLASS_LABELS: Mapping[TaxClass, str] = MappingProxyType(
    {TaxClass.STANDARD: "VAT", TaxClass.ZERO: "Zero-rated", TaxClass.EXEMPT: "Exempt"}
)


@dataclass(frozen=True, slots=True)
class TaxRule:
    """``rate_bp`` in basis points (1600 = 16 %); ``inclusive``: shelf prices contain the tax."""

    rate_bp: int
    inclusive: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.rate_bp <= 10_000:
            raise ValueError(f"tax rate must be 0..10000 basis points, got {self.rate_bp}")


@dataclass(frozen=True, slots=True)
class TaxTable:
    rules: Mapping[TaxClass, TaxRule] = field(default_factory=dict)

    @classmethod
    def kenya_default(cls, *, inclusive: bool = True) -> TaxTable:
        """VAT 16 % standard, 0 % zero-rated, exempt; prices tax-inclusive unless told otherwise."""
        return cls(
            {
                TaxClass.STANDARD: TaxRule(1600, inclusive),
                TaxClass.ZERO: TaxRule(0, inclusive),
                TaxClass.EXEMPT: TaxRule(0, inclusive),
            }
        )

    def rule(self, tax_class: TaxClass) -> TaxRule:
        try:
            return self.rules[tax_class]
        except KeyError:
            raise DomainError(
                f'No tax rate is set up for tax class "{tax_class}". Ask the manager to set it.'
            ) from None


def tax_for_amount(net_after_discount_cents: int, rule: TaxRule) -> int:
    """Tax of an amount (a band's total), half-up.

    Inclusive prices contain the tax: ``net * rate / (10000 + rate)``; exclusive prices get it
    added: ``net * rate / 10000``.
    """
    if rule.rate_bp == 0:
        return 0
    if rule.inclusive:
        return div_round_half_up(net_after_discount_cents * rule.rate_bp, 10_000 + rule.rate_bp)
    return div_round_half_up(net_after_discount_cents * rule.rate_bp, 10_000)


def band_line_taxes(nets: Sequence[int], rule: TaxRule) -> list[int]:
    """The tax of each line of one band: the band's tax on its total, shared over the lines in
    proportion to their nets (largest remainder, ties to the earlier line)."""
    return allocate(tax_for_amount(sum(nets), rule), nets)


def line_total(net_after_discount_cents: int, tax_cents: int, rule: TaxRule) -> int:
    """What the customer pays for a line: the net when inclusive, net + tax when exclusive."""
    return net_after_discount_cents if rule.inclusive else net_after_discount_cents + tax_cents


@dataclass(frozen=True, slots=True)
class TaxSummaryLine:
    """One row of a receipt's tax summary.

    ``taxable_cents`` is the amount before tax (what the customer paid for the class minus its
    tax), so ``taxable_cents + tax_cents`` is what the customer paid for lines of that class.
    """

    tax_class: TaxClass
    rate_bp: int
    taxable_cents: int
    tax_cents: int

    @property
    def gross_cents(self) -> int:
        return self.taxable_cents + self.tax_cents

    @property
    def band(self) -> str:
        """The eTIMS band letter (B for VAT 16 %...)."""
        return ETIMS_BANDS[self.tax_class]
