"""What a manager typed on a draft purchase order: a quantity per line (whole items, or kg to
three decimals for goods sold by weight) and the lines to take out. Bad input becomes a
message under the line, never an error page."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.http import QueryDict

from cloud_api.purchases.models import PurchaseOrderLine

MAX_QUANTITY = 1_000_000  # items or kg on one line: more is a typing slip, not an order


@dataclass
class DraftEdit:
    quantities: dict[UUID, int] = field(default_factory=dict)
    removed: set[UUID] = field(default_factory=set)
    errors: dict[UUID, str] = field(default_factory=dict)
    entered: dict[UUID, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors


def _milli(text: str, by_weight: bool) -> tuple[int | None, str | None]:
    """A typed quantity in thousandths, or why it cannot be one."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None, "Enter a quantity, or tick Remove."
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None, "Enter a number, such as 12" + (" or 2.5." if by_weight else ".")
    if not value.is_finite() or value <= 0:
        return None, "Enter more than zero, or tick Remove."
    if value > MAX_QUANTITY:
        return None, f"Enter at most {MAX_QUANTITY:,}."
    milli = value * 1000
    if by_weight and milli != milli.to_integral_value():
        return None, "Enter kilograms to at most three decimals (grams)."
    if not by_weight and value != value.to_integral_value():
        return None, "This product is sold by the item: enter a whole number."
    return int(milli), None


def draft_edit(data: QueryDict, lines: list[PurchaseOrderLine]) -> DraftEdit:
    """``data``: the POST, with ``qty-<line uuid>`` and ``remove-<line uuid>`` fields."""
    edit = DraftEdit()
    for line in lines:
        key = line.uuid.hex
        if data.get(f"remove-{key}"):
            edit.removed.add(line.uuid)
            continue
        typed = str(data.get(f"qty-{key}", ""))[:32]
        edit.entered[line.uuid] = typed
        milli, problem = _milli(typed, line.product.sold_by == "weight")
        if problem is not None:
            edit.errors[line.uuid] = problem
        elif milli is not None:
            edit.quantities[line.uuid] = milli
    if lines and len(edit.removed) == len(lines):
        edit.errors[lines[0].uuid] = "An order needs at least one product: discard it instead."
    return edit


def typed_quantity(milli: int) -> str:
    """The quantity as it goes back into the input: 12 (items), 2.5 (kg)."""
    whole, part = divmod(milli, 1000)
    return str(whole) if part == 0 else f"{whole}.{part:03d}".rstrip("0")
