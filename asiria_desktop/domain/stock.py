"""Stock the till moves besides sales: goods received from a supplier and stock adjustments.

Quantities are thousandths, the rule of every stock movement (``sale.stock_milli``): one piece is
1000, a weighed item counts in grams. A line is entered in its product's unit (whole pieces, or a
weight in kg) and checked here; the builders merge repeated products (a delivery scanned item by
item), refuse empty lists and zero changes, and give the ``goods.received`` / ``stock.adjusted``
payloads of docs/events.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from .errors import DomainError, InvalidAmount, InvalidQuantity
from .json_types import JsonObject
from .money import format_weight, parse_weight
from .sale import stock_milli
from .text import one_line
from .times import require_aware, rfc3339

#: The most one line may move: a million pieces, or 1,000 tonnes (the cloud's limit too).
MAX_STOCK_MILLI = 1_000_000_000
#: The contract's limits (events-v1.schema.json).
MAX_LINES = 1000
SUPPLIER_MAX = 120
REFERENCE_MAX = 64
REASON_MAX = 255

_WHOLE = re.compile(r"[0-9]+")
_THOUSANDS = re.compile(r"[0-9]{1,3}(,[0-9]{3})+")  # "1,200": a comma is never a decimal here


class AdjustmentReason(StrEnum):
    COUNT_CORRECTION = "count_correction"
    DAMAGED = "damaged"
    EXPIRED = "expired"
    THEFT_LOSS = "theft_loss"
    OWN_USE = "own_use"
    OTHER = "other"


#: How each reason reads on screen and in the payload's ``reason`` text.
ADJUSTMENT_REASON_LABELS: Mapping[AdjustmentReason, str] = MappingProxyType(
    {
        AdjustmentReason.COUNT_CORRECTION: "Count correction",
        AdjustmentReason.DAMAGED: "Damaged",
        AdjustmentReason.EXPIRED: "Expired",
        AdjustmentReason.THEFT_LOSS: "Theft or loss",
        AdjustmentReason.OWN_USE: "Own use",
        AdjustmentReason.OTHER: "Other",
    }
)


@dataclass(frozen=True, slots=True)
class StockItem:
    """What the stock rules need to know of a product."""

    product_id: str
    name: str
    sold_by_weight: bool = False


@dataclass(frozen=True, slots=True)
class StockQuantity:
    """One line as entered: whole pieces (``qty``) for a count item, thousandths of a kg
    (``qty_milli``) for a weighed one. Received goods and counts are positive (a count may be
    zero); an adjustment's change is signed."""

    item: StockItem
    qty: int | None = None
    qty_milli: int | None = None

    @property
    def milli(self) -> int:
        """The quantity in thousandths, after checking it is in the product's unit."""
        name = self.item.name
        if (self.qty is None) == (self.qty_milli is None):
            raise InvalidQuantity(f"Enter one quantity for {name}.")
        if self.item.sold_by_weight and self.qty is not None:
            raise InvalidQuantity(f"{name} is weighed: enter the weight in kg, e.g. 1.250.")
        if not self.item.sold_by_weight and self.qty_milli is not None:
            raise InvalidQuantity(f"{name} is counted in pieces: enter a whole number, e.g. 12.")
        value = stock_milli(self.qty, self.qty_milli)
        if abs(value) > MAX_STOCK_MILLI:
            weighed = self.item.sold_by_weight
            raise InvalidQuantity(
                f"{format_stock(value, weighed)} of {name} is more than one line can hold "
                f"(at most {format_stock(MAX_STOCK_MILLI, weighed)})."
            )
        return value


def format_stock(milli: int, sold_by_weight: bool) -> str:
    """``24000`` -> ``"24"`` (pieces), ``1250`` -> ``"1.250 kg"``; a part piece shows its
    thousandths (``"2.500"``), which only a head-office correction can make."""
    if sold_by_weight:
        return f"{format_weight(milli)} kg"
    if milli % 1000 == 0:
        return str(milli // 1000)
    return format_weight(milli)


def parse_quantity(text: str, item: StockItem, *, signed: bool = False) -> StockQuantity:
    """A quantity typed by a person, in the product's unit: ``"12"`` pieces, ``"1.250"`` kg
    (``"0.5 kg"`` too). With ``signed`` a leading ``+`` or ``-`` says add or take away."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return _missing(item, signed)
    sign = 1
    if cleaned[0] in "+-":
        if cleaned[0] == "-":
            if not signed:
                raise InvalidQuantity(f"The quantity of {item.name} can't be negative here.")
            sign = -1
        cleaned = cleaned[1:].strip()
        if not cleaned:
            return _missing(item, signed)
    if item.sold_by_weight:
        try:
            grams = parse_weight(cleaned)
        except InvalidAmount:
            raise InvalidQuantity(
                f'"{text.strip()}" is not a weight for {item.name}: type kg, e.g. 1.250.'
            ) from None
        return StockQuantity(item, qty_milli=sign * grams)
    digits = cleaned.replace(",", "") if _THOUSANDS.fullmatch(cleaned) else cleaned
    if not _WHOLE.fullmatch(digits):
        raise InvalidQuantity(
            f'"{text.strip()}" is not a number of pieces for {item.name}: '
            "type a whole number, e.g. 12."
        )
    return StockQuantity(item, qty=sign * int(digits))


def _missing(item: StockItem, signed: bool) -> StockQuantity:
    if signed:
        raise InvalidQuantity(
            f"Enter the change for {item.name}: how many to add (e.g. 3) or take away (e.g. -3)."
        )
    raise InvalidQuantity(f"Enter the quantity of {item.name}.")


# ----- goods received ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReceivedLine:
    product_id: str
    name: str
    qty_milli: int


@dataclass(frozen=True, slots=True)
class GoodsReceipt:
    id: str
    cashier_id: str
    received_at: datetime
    supplier: str | None
    reference: str | None  # the supplier's delivery note number
    lines: tuple[ReceivedLine, ...]

    def to_payload(self) -> JsonObject:
        """The ``goods.received`` payload (docs/events.md)."""
        return {
            "id": self.id,
            "cashier_id": self.cashier_id,
            "received_at": rfc3339(self.received_at),
            "supplier": self.supplier,
            "reference": self.reference,
            "lines": [
                {"product_id": ln.product_id, "qty_milli": ln.qty_milli} for ln in self.lines
            ],
        }


def receive_goods(
    receipt_id: str,
    cashier_id: str,
    received_at: datetime,
    quantities: Sequence[StockQuantity],
    *,
    supplier: str = "",
    reference: str = "",
) -> GoodsReceipt:
    """A delivery: every line more than zero; the same product twice is one line."""
    require_aware(received_at, "received_at")
    supplier_text = _limited(supplier, SUPPLIER_MAX, "The supplier's name")
    reference_text = _limited(reference, REFERENCE_MAX, "The delivery note number")
    if not quantities:
        raise DomainError("Scan or search the products that arrived first.")
    amounts = []
    for quantity in quantities:
        milli = quantity.milli
        if milli == 0:
            raise InvalidQuantity(f"Enter a quantity more than zero for {quantity.item.name}.")
        if milli < 0:
            raise InvalidQuantity(
                f"Received goods can't be negative ({quantity.item.name}). "
                "To take stock out, use Adjust stock."
            )
        amounts.append((quantity.item, milli))
    merged = _merged(amounts)
    return GoodsReceipt(
        id=receipt_id,
        cashier_id=cashier_id,
        received_at=received_at,
        supplier=supplier_text or None,
        reference=reference_text or None,
        lines=tuple(ReceivedLine(item.product_id, item.name, milli) for item, milli in merged),
    )


# ----- stock adjustments ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AdjustedLine:
    product_id: str
    name: str
    delta_milli: int  # signed, never 0


@dataclass(frozen=True, slots=True)
class StockAdjustment:
    id: str
    cashier_id: str
    approved_by: str | None
    adjusted_at: datetime
    reason: AdjustmentReason
    note: str
    lines: tuple[AdjustedLine, ...]

    @property
    def reason_text(self) -> str:
        """``"Damaged: jar dropped"`` (the reason's label, then the note if any)."""
        label = ADJUSTMENT_REASON_LABELS[self.reason]
        return f"{label}: {self.note}" if self.note else label

    def to_payload(self) -> JsonObject:
        """The ``stock.adjusted`` payload (docs/events.md), plus ``reason_code``."""
        return {
            "id": self.id,
            "cashier_id": self.cashier_id,
            "approved_by": self.approved_by,
            "adjusted_at": rfc3339(self.adjusted_at),
            "reason": self.reason_text,
            "reason_code": str(self.reason),
            "lines": [
                {"product_id": ln.product_id, "delta_milli": ln.delta_milli} for ln in self.lines
            ],
        }


def adjust_stock(
    adjustment_id: str,
    cashier_id: str,
    adjusted_at: datetime,
    reason: AdjustmentReason | str,
    changes: Sequence[StockQuantity],
    *,
    note: str = "",
    approved_by: str | None = None,
) -> StockAdjustment:
    """Signed changes (``-2`` damaged jars, ``+3`` found in the store room); a change of zero is
    refused, changes of one product are added up and a product that nets to zero is left out."""
    amounts = []
    for change in changes:
        milli = change.milli
        if milli == 0:
            raise InvalidQuantity(
                f"A change of zero for {change.item.name} changes nothing: enter how many to "
                "add (e.g. 3) or take away (e.g. -3)."
            )
        amounts.append((change.item, milli))
    if not amounts:
        raise DomainError("Scan or search the products to adjust first.")
    deltas = [(item, milli) for item, milli in _merged(amounts) if milli != 0]
    if not deltas:
        raise DomainError("The changes add up to nothing: there is nothing to adjust.")
    return _adjustment(adjustment_id, cashier_id, adjusted_at, reason, note, approved_by, deltas)


def adjust_stock_to_count(
    adjustment_id: str,
    cashier_id: str,
    adjusted_at: datetime,
    reason: AdjustmentReason | str,
    counts: Sequence[StockQuantity],
    on_hand_milli: Mapping[str, int | None],
    *,
    note: str = "",
    approved_by: str | None = None,
) -> StockAdjustment:
    """What was counted on the shelf: each line's change is the count minus the stock on
    record (``on_hand_milli``; ``None`` when there is none to compare with). Counts of one
    product are added up (stock in two places); a count that matches is left out."""
    amounts = []
    for count in counts:
        milli = count.milli
        if milli < 0:
            raise InvalidQuantity(f"A count can't be negative ({count.item.name}).")
        amounts.append((count.item, milli))
    if not amounts:
        raise DomainError("Scan or search the products you counted first.")
    deltas = []
    for item, counted in _merged(amounts):
        on_hand = on_hand_milli.get(item.product_id)
        if on_hand is None:
            raise DomainError(
                f"There is no stock figure for {item.name} yet, so the till can't work out "
                "the difference from a count. Enter the change (+ or -) instead."
            )
        if counted != on_hand:
            deltas.append((item, counted - on_hand))
    if not deltas:
        raise DomainError("The counts match the stock on record: there is nothing to adjust.")
    return _adjustment(adjustment_id, cashier_id, adjusted_at, reason, note, approved_by, deltas)


def _adjustment(
    adjustment_id: str,
    cashier_id: str,
    adjusted_at: datetime,
    reason: AdjustmentReason | str,
    note: str,
    approved_by: str | None,
    deltas: list[tuple[StockItem, int]],
) -> StockAdjustment:
    require_aware(adjusted_at, "adjusted_at")
    try:
        why = AdjustmentReason(reason)
    except ValueError:
        raise DomainError("Choose why the stock changes (damaged, expired, ...).") from None
    text = one_line(note)
    if why is AdjustmentReason.OTHER and not text:
        raise DomainError("Say what happened in the note: the reason is Other.")
    room = REASON_MAX - len(ADJUSTMENT_REASON_LABELS[why]) - 2
    if len(text) > room:
        raise DomainError(f"The note is too long: at most {room} characters.")
    for item, milli in deltas:
        if abs(milli) > MAX_STOCK_MILLI:
            raise InvalidQuantity(
                f"A change of {format_stock(milli, item.sold_by_weight)} of {item.name} is more "
                "than one line can hold."
            )
    return StockAdjustment(
        id=adjustment_id,
        cashier_id=cashier_id,
        approved_by=approved_by,
        adjusted_at=adjusted_at,
        reason=why,
        note=text,
        lines=tuple(AdjustedLine(item.product_id, item.name, milli) for item, milli in deltas),
    )


# ----- shared -----------------------------------------------------------------------------------


def _merged(amounts: Sequence[tuple[StockItem, int]]) -> list[tuple[StockItem, int]]:
    """One entry per product, in the order each was first seen, quantities added up."""
    totals: dict[str, int] = {}
    items: dict[str, StockItem] = {}
    for item, milli in amounts:
        items.setdefault(item.product_id, item)
        totals[item.product_id] = totals.get(item.product_id, 0) + milli
    if len(totals) > MAX_LINES:
        raise DomainError(
            f"At most {MAX_LINES} products at a time: save these, then enter the rest."
        )
    merged = [(items[pid], milli) for pid, milli in totals.items()]
    for item, milli in merged:
        if abs(milli) > MAX_STOCK_MILLI:
            raise InvalidQuantity(
                f"{format_stock(milli, item.sold_by_weight)} of {item.name} in all is more "
                "than one line can hold."
            )
    return merged


def _limited(text: str, limit: int, what: str) -> str:
    cleaned = one_line(text)
    if len(cleaned) > limit:
        raise DomainError(f"{what} is too long: at most {limit} characters.")
    return cleaned
