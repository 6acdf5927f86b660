"""The limits of one value, the same whichever way it comes in: REST serializers, the push's
contract check, and (by a test) the till's own checks.

They are read from the sync contract (``cloud_api/sync/contract``), so the contract is the one
place a bound is written; only what JSON Schema cannot say (years) and the stock level's
ceiling are written here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CONTRACT = Path(__file__).resolve().parents[1] / "sync" / "contract"


def _definitions(name: str) -> dict[str, Any]:
    definitions: dict[str, Any] = json.loads((CONTRACT / name).read_text(encoding="utf-8"))["$defs"]
    return definitions


_SYNC = _definitions("sync-v1.schema.json")
_EVENTS = _definitions("events-v1.schema.json")
_LINE = _SYNC["SaleLine"]["properties"]

CENTS_MAX: int = _SYNC["cents"]["maximum"]  # one amount: 1e11 cents = 1 billion shillings
QTY_MAX: int = _LINE["qty"]["maximum"]  # units of one line sold by count
QTY_MILLI_MAX: int = _LINE["qty_milli"]["maximum"]  # thousandths of one weighed line
NAME_MAX_LENGTH: int = _LINE["name"]["maxLength"]
# One stock movement (an adjustment, a delivery line), in thousandths either way.
STOCK_DELTA_MILLI_MAX: int = _EVENTS["StockAdjusted"]["properties"]["lines"]["items"]["properties"][
    "delta_milli"
]["maximum"]
ROUNDING_MAX: int = _EVENTS["Rounding"]["properties"]["rounding_cents"]["maximum"]

# MariaDB DATETIME holds years 1000-9999, and a time zone can push 9999-12-31 into year
# 10000: a till clock or a typed date outside these years is refused.
FIRST_YEAR, LAST_YEAR = 1900, 9998

# A stock level is held within +-this many thousandths (a trillion units: no shelf is near
# it). Each movement is bounded far below it, so adding one to a held level never overflows
# the 64-bit column, and a level at the edge still takes every later sale.
STOCK_LEVEL_MAX_MILLI = 10**15
