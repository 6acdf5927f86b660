"""VAT of a sale, checked against its products' tax classes, band by band.

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


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{fraction:02d}"


def _band_name(tax_class: TaxClassLike) -> str:
    letter = ETIMS_BANDS.get(tax_class.code, "?")
    whole, fraction = divmod(tax_class.rate_basis_points, 100)
    rate = f"{whole}%" if not fraction else f"{whole}.{fraction:02d}".rstrip("0") + "%"
    return f"{tax_class.code} ({letter}, {rate})"


def sale_tax_problems(
    *, lines: Sequence[Mapping[str, Any]], tax_classes: Sequence[TaxClassLike]
) -> Problems:
    """Every line and band whose tax breaks its tax class's rule (empty when all hold).

    ``tax_classes[i]`` is the tax class of line ``i``'s product. Lines whose amounts do not add
    up are ``sale_money_problems``' business; this checks only the tax."""
    problems: Problems = {}
    bands: dict[str, tuple[TaxClassLike, list[int], list[int]]] = {}
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
                f"{line['name']}: the line total should be {_money(expected_total)}, not "
                f"{_money(total)}: prices of tax class {band} {how} the tax."
            )
        # The exact tax of the line is net * rate / base; its share of the band's rounded tax
        # is within a cent and a half of it (half a cent of band rounding, under a cent of
        # sharing).
        base = 10_000 + rate if inclusive else 10_000
        if 2 * abs(tax * base - net * rate) >= 3 * base:
            exact = tax_of_amount(net, rate_bp=rate, inclusive=inclusive)
            problems.setdefault(f"{prefix}.tax_cents", []).append(
                f"{line['name']}: tax {_money(tax)} is not the tax of tax class {band} "
                f"on {_money(net)} (about {_money(exact)})."
            )
        entry = bands.setdefault(tax_class.code, (tax_class, [], []))
        entry[1].append(net)
        entry[2].append(tax)
    for tax_class, nets, taxes in bands.values():
        due = tax_of_amount(
            sum(nets),
            rate_bp=tax_class.rate_basis_points,
            inclusive=tax_class.prices_include_tax,
        )
        if sum(taxes) != due:
            problems.setdefault("tax_cents", []).append(
                f"The lines of tax class {_band_name(tax_class)} carry {_money(sum(taxes))} of "
                f"tax, but their {_money(sum(nets))} makes {_money(due)} (the tax of a band is "
                "worked out once, on the band's total)."
            )
    return problems
