"""The money rules of ARCHITECTURE.md 4, checked on a sale as the till sent it.

Pure functions over plain dicts, so they are property-tested without a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cloud_api.core.fields import CENTS_MAX

Problems = dict[str, list[str]]


def round_half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def line_gross_cents(*, unit_price_cents: int, qty: int | None, qty_milli: int | None) -> int:
    """Price x quantity before discount; weighed lines round half-up to the cent."""
    if qty is not None:
        return unit_price_cents * qty
    return round_half_up_div(unit_price_cents * int(qty_milli or 0), 1000)


def label_weight_milli(*, label_price_cents: int, unit_price_cents: int) -> int:
    """The weight a scale's price label stands for: its price / the price per kg, to the gram,
    half-up (the till's ``pricing.label_weight_milli``). ``unit_price_cents`` must be > 0."""
    return round_half_up_div(label_price_cents * 1000, unit_price_cents)


def charged_gross_cents(line: Mapping[str, Any], inclusive: bool | None = None) -> int:
    """What a line charged before discount.

    Price x quantity; or, for a weighed line sold by a scale's price label, the price printed
    on the label, whose weight (``label_weight_milli``) is the line's ``qty_milli``: the
    customer pays the label's price, which may differ from the weight's price by less than
    half a gram's worth. ``inclusive`` (the product's prices include the tax) says where the
    tax is; unknown, both places are tried."""
    gross = line_gross_cents(
        unit_price_cents=line["unit_price_cents"],
        qty=line.get("qty"),
        qty_milli=line.get("qty_milli"),
    )
    unit_price, qty_milli = line["unit_price_cents"], line.get("qty_milli")
    if qty_milli is None or unit_price <= 0:
        return gross
    discount, tax, total = line["discount_cents"], line["tax_cents"], line["total_cents"]
    if total in (gross - discount, gross - discount + tax):
        return gross
    by_inclusive: dict[bool | None, list[int]] = {
        True: [total + discount],
        False: [total - tax + discount],
    }
    labels: list[int] = by_inclusive.get(inclusive, [total + discount, total - tax + discount])
    for label in labels:
        if (
            label >= 0
            and label_weight_milli(label_price_cents=label, unit_price_cents=unit_price)
            == qty_milli
        ):
            return label
    return gross


def _add(problems: Problems, field: str, message: str) -> None:
    problems.setdefault(field, []).append(message)


def line_problems(
    line: Mapping[str, Any], index: int, problems: Problems, inclusive: bool | None = None
) -> int:
    """Check one line; return its gross amount."""
    prefix = f"lines[{index}]"
    if (line.get("qty") is None) == (line.get("qty_milli") is None):
        _add(problems, f"{prefix}.qty", "Give exactly one of qty (count) or qty_milli (weight).")
        return 0
    gross = charged_gross_cents(line, inclusive)
    discount, tax, total = line["discount_cents"], line["tax_cents"], line["total_cents"]
    if discount > gross:
        _add(
            problems, f"{prefix}.discount_cents", f"Discount {discount} exceeds the line's {gross}."
        )
    # Tax-inclusive prices: total = gross - discount; tax-exclusive: tax is added on top.
    elif total not in (gross - discount, gross - discount + tax):
        _add(
            problems,
            f"{prefix}.total_cents",
            f"Line total {total} is not price x quantity - discount ({gross - discount}), "
            "with or without its tax added (nor a scale label's price for its weight).",
        )
    if tax > total:
        _add(problems, f"{prefix}.tax_cents", f"Tax {tax} exceeds the line total {total}.")
    return gross


def sale_money_problems(
    *,
    sale: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
    payments: Sequence[Mapping[str, Any]],
    inclusive: Sequence[bool | None] | None = None,
) -> Problems:
    """Every broken money rule, keyed by the field that breaks it (empty when all hold).

    ``inclusive[i]``: whether line ``i``'s product has tax-inclusive prices (None: unknown)."""
    problems: Problems = {}
    flags = list(inclusive) if inclusive is not None else [None] * len(lines)
    gross = sum(
        line_problems(line, index, problems, flag)
        for index, (line, flag) in enumerate(zip(lines, flags, strict=True))
    )
    sums = {
        "subtotal_cents": gross,
        "discount_cents": sum(line["discount_cents"] for line in lines),
        "tax_cents": sum(line["tax_cents"] for line in lines),
        "total_cents": sum(line["total_cents"] for line in lines),
    }
    labels = {
        "subtotal_cents": "the lines' price x quantity",
        "discount_cents": "the line discounts",
        "tax_cents": "the line taxes",
        "total_cents": "the line totals",
    }
    for field, expected in sums.items():
        if sale[field] != expected:
            _add(
                problems,
                field,
                f"{field} is {sale[field]} but the sum of {labels[field]} is {expected}.",
            )
    paid = sum(payment["amount_cents"] for payment in payments)
    change = sale["change_cents"]
    # Cash rounding (the till's ``rounding_cents``; absent for other clients): what the shop
    # kept (+) or gave away (-) by rounding cash to the smallest coin.
    rounding = sale.get("rounding_cents") or 0
    if paid - change != sale["total_cents"] + rounding:
        _add(
            problems,
            "payments",
            f"Payments ({paid}) minus change ({change}) must equal "
            f"the total ({sale['total_cents']}) plus rounding ({rounding}).",
        )
    cash = sum(payment["amount_cents"] for payment in payments if payment["method"] == "cash")
    if change > cash:
        _add(problems, "change_cents", f"Change {change} exceeds the cash tendered ({cash}).")
    if paid > CENTS_MAX:
        _add(problems, "payments", "The payments add up to more than any sale can be.")
    return problems
