"""Money: integer minor units (cents) everywhere; this is the one place that formats and parses.

Rounding is half-up, meaning half away from zero (as ``decimal.ROUND_HALF_UP``), so a refund of
-0.5 cents rounds to -1 just as a sale of 0.5 rounds to 1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import InvalidAmount

#: The largest amount the till accepts anywhere (the sync contract's limit): 1,000,000,000.00.
MAX_CENTS = 100_000_000_000


@dataclass(frozen=True, slots=True)
class Currency:
    code: str
    decimals: int = 2

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z]{3}", self.code):
            raise ValueError(f"currency code must be 3 capital letters, got {self.code!r}")
        if not 0 <= self.decimals <= 4:
            raise ValueError(f"currency decimals must be 0..4, got {self.decimals}")

    @property
    def unit(self) -> int:
        """Minor units in one major unit (100 for KES)."""
        return int(10**self.decimals)


KES = Currency("KES", 2)


def div_round_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, in integers only."""
    if denominator == 0:
        raise ZeroDivisionError("div_round_half_up by zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


def percent_of(cents: int, basis_points: int) -> int:
    """``basis_points`` (1000 = 10 %) of ``cents``, half-up."""
    return div_round_half_up(cents * basis_points, 10_000)


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


def round_cash(cents: int, step_cents: int) -> int:
    """Round to the nearest multiple of the smallest coin (``step_cents``), half-up.

    A step of 1 (or less) means no cash rounding.
    """
    if step_cents <= 1:
        return cents
    return div_round_half_up(cents, step_cents) * step_cents


def format_amount(cents: int, currency: Currency = KES) -> str:
    """``123450`` -> ``"1,234.50"``; negative amounts get a leading minus."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), currency.unit)
    text = f"{whole:,}"
    if currency.decimals:
        text += f".{fraction:0{currency.decimals}d}"
    return sign + text


def format_money(cents: int, currency: Currency = KES) -> str:
    """``123450`` -> ``"KES 1,234.50"``."""
    return f"{currency.code} {format_amount(cents, currency)}"


_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+")
_DIGITS = re.compile(r"[0-9]*")


def parse_money(text: str, currency: Currency = KES) -> int:
    """Read an amount typed by a person: ``"12"``, ``"12.5"``, ``"1,234.50"``, ``"KES 10"``.

    Raises :class:`InvalidAmount` with a message the cashier can act on.
    """
    cleaned = text.strip()
    if cleaned.upper().startswith(currency.code):
        cleaned = cleaned[len(currency.code) :].strip()
    negative = cleaned.startswith("-")
    if negative:
        cleaned = cleaned[1:].strip()
    if not cleaned:
        raise InvalidAmount("Enter an amount, for example 250 or 1,234.50.")
    whole, dot, fraction = cleaned.partition(".")
    if "," in whole:
        if not _GROUPED.fullmatch(whole):
            raise InvalidAmount(f'"{text.strip()}" is not an amount: check the commas.')
        whole = whole.replace(",", "")
    if dot and not whole and not fraction:
        raise InvalidAmount(f'"{text.strip()}" is not an amount. Use digits, e.g. 1,234.50.')
    if whole == "" and dot:
        whole = "0"
    if not _DIGITS.fullmatch(whole) or not _DIGITS.fullmatch(fraction):
        raise InvalidAmount(f'"{text.strip()}" is not an amount. Use digits, e.g. 1,234.50.')
    if len(fraction) > currency.decimals:
        if currency.decimals == 0:
            raise InvalidAmount(f"{currency.code} amounts have no decimals.")
        raise InvalidAmount(
            f"{currency.code} amounts have at most {currency.decimals} decimals "
            f'("{text.strip()}" has {len(fraction)}).'
        )
    cents = int(whole) * currency.unit + (
        int(fraction.ljust(currency.decimals, "0")) if fraction else 0
    )
    if cents > MAX_CENTS:
        raise InvalidAmount(f"{format_money(MAX_CENTS, currency)} is the largest amount allowed.")
    return -cents if negative else cents


def format_weight(qty_milli: int) -> str:
    """Thousandths as a decimal: ``1250`` -> ``"1.250"`` (kg, l...)."""
    sign = "-" if qty_milli < 0 else ""
    whole, fraction = divmod(abs(qty_milli), 1000)
    return f"{sign}{whole}.{fraction:03d}"


def parse_weight(text: str) -> int:
    """Read a weight typed by a person in kg (``"1.25"``, ``"0.5 kg"``) as thousandths."""
    cleaned = text.strip().lower().removesuffix("kg").strip()
    whole, _, fraction = cleaned.partition(".")
    if (
        not _DIGITS.fullmatch(whole)
        or not _DIGITS.fullmatch(fraction)
        or not (whole or fraction)
        or len(fraction) > 3
    ):
        raise InvalidAmount(f'"{text.strip()}" is not a weight. Enter kilograms, e.g. 1.250.')
    return int(whole or "0") * 1000 + int(fraction.ljust(3, "0"))
