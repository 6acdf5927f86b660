"""The list a stock screen builds before saving: one line per product, quantities as typed.

Scanning a product that is already on the list selects its line; for a piece item whose
quantity is a plain number the scan also counts one more (scan every crate of a delivery, or
scan once and type 24). A weighed item always waits for its weight. Nothing is checked here:
the service checks every line when the list is saved, and the list stays as it was if it
refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from asiria_desktop.services.results import StockEntry, StockLevelView


@dataclass(frozen=True)
class DraftLine:
    level: StockLevelView
    quantity: str


class StockDraft:
    def __init__(self, *, count_scans: bool = True) -> None:
        """``count_scans``: a scan of a piece item means "one more" (a delivery, a shelf
        count); off, a scan only adds the line and the change is typed (an adjustment)."""
        self.count_scans = count_scans
        self.lines: list[DraftLine] = []

    def add(self, level: StockLevelView) -> int:
        """Add the product (or count it once more); returns its line's index."""
        for index, line in enumerate(self.lines):
            if line.level.product_id == level.product_id:
                quantity = line.quantity.strip()
                if self._counts(level) and quantity.isascii() and quantity.isdigit():
                    quantity = str(int(quantity) + 1)
                self.lines[index] = DraftLine(level, quantity)
                return index
        self.lines.append(DraftLine(level, "1" if self._counts(level) else ""))
        return len(self.lines) - 1

    def set_quantity(self, index: int, text: str) -> None:
        if 0 <= index < len(self.lines):
            self.lines[index] = replace(self.lines[index], quantity=text)

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.lines):
            del self.lines[index]

    def entries(self) -> list[StockEntry]:
        return [StockEntry(line.level.product_id, line.quantity) for line in self.lines]

    def _counts(self, level: StockLevelView) -> bool:
        return self.count_scans and not level.sold_by_weight
