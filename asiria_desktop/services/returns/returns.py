"""Goods coming back into the shop after a refund or a void: their stock movements, the event
head office hears of it by, and the audit row, all in the caller's unit of work."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from asiria_desktop.domain.events import EventType
from asiria_desktop.domain.json_types import JsonObject
from asiria_desktop.domain.permissions import Action
from asiria_desktop.domain.sale import stock_milli
from asiria_desktop.ports.ids import IdFactory
from asiria_desktop.ports.records import StockMovementRecord
from asiria_desktop.ports.unit_of_work import UnitOfWork


class ReturnedLine(Protocol):
    """A sale line or a refund line: what product, how much of it."""

    @property
    def product_id(self) -> str: ...

    @property
    def qty(self) -> int | None: ...

    @property
    def qty_milli(self) -> int | None: ...


def stock_returned(
    uow: UnitOfWork,
    ids: IdFactory,
    lines: Iterable[ReturnedLine],
    *,
    reason: str,
    ref_id: str,
    event: EventType,
    payload: JsonObject,
    action: Action,
    actor_id: str,
    approver_id: str | None,
    details: JsonObject,
    at: datetime,
) -> None:
    """Put each line back in stock (``reason`` "refund" or "void", tied to ``ref_id``), queue
    ``event`` with ``payload`` for head office, and audit ``action`` with who approved it."""
    for line in lines:
        units = stock_milli(line.qty, line.qty_milli)
        uow.stock.add(StockMovementRecord(ids(), line.product_id, units, reason, ref_id, at))
    uow.outbox.append(str(event), payload, at)
    uow.audit.record(str(action), actor_id, approver_id, details, at)
