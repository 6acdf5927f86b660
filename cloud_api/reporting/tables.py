"""The shape every report has: named columns of a known kind, rows, and a totals row.

One shape serves the JSON API, the CSV/XLSX/PDF exports and the dashboard: each knows how to
show a column from its kind (money in cents, a quantity in thousandths, a date...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

ColumnKind = Literal["text", "date", "count", "money", "qty_milli", "percent"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ColumnKind


@dataclass
class ReportTable:
    """A report's figures. ``rows`` and ``totals`` map column keys to values: money in
    integer cents, quantities in thousandths, percentages as numbers with one decimal."""

    report: str
    title: str
    date_from: date | None
    date_to: date | None
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)

    def sum_totals(self, *keys: str, label_key: str | None = None) -> None:
        """Totals of these columns over the rows (a label in the first text column)."""
        for key in keys:
            self.totals[key] = sum(int(row.get(key) or 0) for row in self.rows)
        if label_key is not None:
            self.totals[label_key] = "Total"


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, one decimal (None when there is no whole)."""
    if not whole:
        return None
    return round(part * 100 / whole, 1)
