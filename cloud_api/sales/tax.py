"""VAT of a sale, checked against its products' tax classes, band by band.

Two kinds of finding: a sale whose tax is inconsistent in itself (``sale_tax_inconsistencies``:
a negative tax, a band taxed more than its gross) is wrong whatever its products' tax classes
were, and is refused; a sale whose tax differs from what the current tax classes make
(``sale_tax_problems``) may be right for the classes of its time (a product reclassified or a
rate changed while a till was offline), so a till's pushed sale is kept and flagged, and only
a sale typed in through the REST API is refused (docs/decisions.md).

The rule is the till's (``asiria_desktop/domain/tax.py``; docs/decisions.md, "VAT per band"): a
band is the lines of one tax class; its tax is the class's rate applied once, half-up, to the
band's total, as KRA's eTIMS invoice states it per band (A exempt, B VAT 16 %, C zero-rated);
each line carries a share of it. So a band's line taxes must add up to exactly that tax, and a
line's own tax can be off its exact share by less than a cent and a half.

Pure functions over plain dicts and tax-class-like objects, so they are property-tested without
a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from cloud_api.sales.money import Problems, charged_gross_cents, round_half_up_div

#: The letter of each tax class code on KRA eTIMS invoices (tax type codes: A exempt,
#: B VAT 16 %, C zero-rated, D non-VAT, E VAT 8 %).
ETIMS_BANDS = {"exempt": "A", "standard": "B", "zero": "C"}


class TaxClassLike(Protocol):
    code: str
    rate_basis_points: int
    prices_include_tax: bool


def tax_of_amount(net_cents: int, *, rate_bp: int, inclusive: bool) -> int:
    """The tax of an amount (a band's total), half-up: inside it when prices include the tax,
    added on top when they do not."""
    if rate_bp == 0 or net_cents <= 0:
        return 0
    return round_half_up_div(net_cents * rate_bp, 10_000 + rate_bp if inclusive else 10_000)


def band_line_taxes(nets: Sequence[int], *, rate_bp: int, inclusive: bool) -> list[int]:
    """Each line's share of its band's tax, in proportion to its net, by largest remainder
    (ties to the earlier line): what the till puts on each line."""
    tax = tax_of_amount(sum(nets), rate_bp=rate_bp, inclusive=inclusive)
    total = sum(nets)
    if total == 0:
        return [0 for _ in nets]
    floors = [tax * net // total for net in nets]
    order = sorted(range(len(nets)), key=lambda i: (-(tax * nets[i] % total), i))
    for i in order[: tax - sum(floors)]:
        floors[i] += 1
    return floors


def money_text(cents: int) -> str:
    """Cents as a cashier reads money: 1,234.50."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{fraction:02d}"


def _band_name(tax_class: TaxClassLike) -> str:
    letter = ETIMS_BANDS.get(tax_class.code, "?")
    whole, fraction = divmod(tax_class.rate_basis_points, 100)
    rate = f"{whole}%" if not fraction else f"{whole}.{fraction:02d}".rstrip("0") + "%"
    return f"{tax_class.code} ({letter}, {rate})"


@dataclass
class Band:
    """The lines of one tax class in a sale: their nets (what is taxed), taxes and gross."""

    tax_class: TaxClassLike
    nets: list[int] = field(default_factory=list)
    taxes: list[int] = field(default_factory=list)
    gross: int = 0

    @property
    def due_cents(self) -> int:
        """The band's tax by its class: the rate applied once, half-up, to the band's total."""
        return tax_of_amount(
            sum(self.nets),
            rate_bp=self.tax_class.rate_basis_points,
            inclusive=self.tax_class.prices_include_tax,
        )


def sale_bands(
    lines: Sequence[Mapping[str, Any]], tax_classes: Sequence[TaxClassLike]
) -> list[Band]:
    """The sale's lines grouped by tax class (``tax_classes[i]`` is line ``i``'s), in order."""
    bands: dict[str, Band] = {}
    for line, tax_class in zip(lines, tax_classes, strict=True):
        inclusive = tax_class.prices_include_tax
        band = bands.setdefault(tax_class.code, Band(tax_class))
        band.nets.append(charged_gross_cents(line, inclusive) - line["discount_cents"])
        band.taxes.append(line["tax_cents"])
        band.gross += charged_gross_cents(line, inclusive)
    return list(bands.values())


def tax_due_cents(lines: Sequence[Mapping[str, Any]], tax_classes: Sequence[TaxClassLike]) -> int:
    """The sale's tax as these tax classes make it, band by band."""
    return sum(band.due_cents for band in sale_bands(lines, tax_classes))


def sale_tax_inconsistencies(
    *,
    sale: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
    tax_classes: Sequence[TaxClassLike],
) -> Problems:
    """What makes the sale's tax wrong whatever tax classes its products had when it was made
    (empty when nothing does): a negative tax, or a band whose tax is more than its gross
    (price x quantity before discount). That the line taxes add up to the sale's is
    ``sale_money_problems``' rule."""
    problems: Problems = {}
    if sale["tax_cents"] < 0:
        problems.setdefault("tax_cents", []).append("The sale's tax cannot be negative.")
    for index, line in enumerate(lines):
        if line["tax_cents"] < 0:
            problems.setdefault(f"lines[{index}].tax_cents", []).append(
                f"{line['name']}: a tax cannot be negative."
            )
    for band in sale_bands(lines, tax_classes):
        if sum(band.taxes) > band.gross:
            problems.setdefault("tax_cents", []).append(
                f"The lines of tax class {_band_name(band.tax_class)} carry "
                f"{money_text(sum(band.taxes))} of tax, more than their "
                f"{money_text(band.gross)} of goods."
            )
    return problems


def sale_tax_problems(
    *, lines: Sequence[Mapping[str, Any]], tax_classes: Sequence[TaxClassLike]
) -> Problems:
    """Every line and band whose tax breaks its tax class's rule (empty when all hold).

    ``tax_classes[i]`` is the tax class of line ``i``'s product. Lines whose amounts do not add
    up are ``sale_money_problems``' business; this checks only the tax."""
    problems: Problems = {}
    for index, (line, tax_class) in enumerate(zip(lines, tax_classes, strict=True)):
        prefix = f"lines[{index}]"
        rate, inclusive = tax_class.rate_basis_points, tax_class.prices_include_tax
        net = charged_gross_cents(line, inclusive) - line["discount_cents"]
        tax, total = line["tax_cents"], line["total_cents"]
        band = _band_name(tax_class)
        expected_total = net if inclusive else net + tax
        if total != expected_total:
            how = "include" if inclusive else "do not include"
            problems.setdefault(f"{prefix}.total_cents", []).append(
                f"{line['name']}: the line total should be {money_text(expected_total)}, not "
                f"{money_text(total)}: prices of tax class {band} {how} the tax."
            )
        # The exact tax of the line is net * rate / base; its share of the band's rounded tax
        # is within a cent and a half of it (half a cent of band rounding, under a cent of
        # sharing).
        base = 10_000 + rate if inclusive else 10_000
        if 2 * abs(tax * base - net * rate) >= 3 * base:
            exact = tax_of_amount(net, rate_bp=rate, inclusive=inclusive)
            problems.setdefault(f"{prefix}.tax_cents", []).append(
                f"{line['name']}: tax {money_text(tax)} is not the tax of tax class {band} "
                f"on {money_text(net)} (about {money_text(exact)})."
            )
    for totals in sale_bands(lines, tax_classes):
        if sum(totals.taxes) != totals.due_cents:
            problems.setdefault("tax_cents", []).append(
                f"The lines of tax class {_band_name(totals.tax_class)} carry "
                f"{money_text(sum(totals.taxes))} of tax, but their "
                f"{money_text(sum(totals.nets))} makes {money_text(totals.due_cents)} "
                "(the tax of a band is worked out once, on the band's total)."
            )
    return problems
