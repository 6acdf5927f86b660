"""Goods received and stock adjustments at the till.

Each save is one ``BEGIN IMMEDIATE`` transaction, like a sale: the stock movements (reason
``receipt`` or ``adjustment``), the outbox event (``goods.received`` / ``stock.adjusted``) and
the audit row; after the commit the sync engine is asked to push (``events_committed``).

Who may do what (``domain.permissions``): any cashier receives a delivery (it is checked against
the supplier's delivery note and names who took it in); every adjustment needs a manager, up as
well as down. A cashier's adjustment is checked first and only then needs the manager's PIN, so
a typo is fixed before anyone is called over.

The stock level shown is head office's figure plus this till's movements head office has not
counted yet (``ports.records.LocalStockLevel``). A count is turned into a change against that
figure inside the saving transaction, so a sale rung up while the count was typed is not lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from asiria_desktop.domain.events import EventType
from asiria_desktop.domain.permissions import Action
from asiria_desktop.domain.stock import (
    ADJUSTMENT_REASON_LABELS,
    AdjustmentReason,
    StockAdjustment,
    StockItem,
    adjust_stock,
    adjust_stock_to_count,
    format_stock,
    parse_quantity,
    receive_goods,
)
from asiria_desktop.ports.records import LocalStockLevel, ProductRecord, StockMovementRecord
from asiria_desktop.ports.unit_of_work import UnitOfWork
from asiria_desktop.services.context import TillContext, storage_errors
from asiria_desktop.services.results import (
    Approval,
    ReasonView,
    StockEntry,
    StockLevelView,
    StockResult,
)
from asiria_desktop.services.sale.catalog import CatalogService, ProductNotFound
from asiria_desktop.services.signin.approvals import authorize

RECEIPT_MOVEMENT = "receipt"
ADJUSTMENT_MOVEMENT = "adjustment"
SHOWN_IN_MESSAGE = 3  # products named in the "saved" message; the rest are counted


class StockService:
    def __init__(self, ctx: TillContext, catalog: CatalogService) -> None:
        self._ctx = ctx
        self._catalog = catalog

    # ----- reading ---------------------------------------------------------------------------

    def reasons(self) -> tuple[ReasonView, ...]:
        """The reasons an adjustment can give, in the order the screen lists them."""
        return tuple(
            ReasonView(str(r), ADJUSTMENT_REASON_LABELS[r], r is AdjustmentReason.OTHER)
            for r in AdjustmentReason
        )

    def find(self, raw_code: str) -> StockLevelView:
        """A scanned or typed code: the product with its stock (raises ``ProductNotFound``
        with the same words as the sale screen)."""
        lookup, record = self._catalog.lookup_record(raw_code)
        if record is None:
            raise ProductNotFound(lookup.message)
        with self._ctx.uow(read_only=True) as uow:
            level = uow.stock.levels([record.id])[record.id]
        return _view(record, level)

    def level(self, product_id: str) -> StockLevelView:
        return self.levels([product_id])[0]

    def levels(self, product_ids: Sequence[str]) -> list[StockLevelView]:
        with self._ctx.uow(read_only=True) as uow:
            records = _products(uow, product_ids)
            levels = uow.stock.levels(list(records))
        return [_view(records[pid], levels[pid]) for pid in product_ids]

    # ----- goods received --------------------------------------------------------------------

    def receive(
        self, entries: Sequence[StockEntry], supplier: str = "", reference: str = ""
    ) -> StockResult:
        """A delivery from a supplier: every line goes into stock. No approval needed."""
        cashier = self._ctx.require_cashier()
        now = self._ctx.clock.now()
        with storage_errors("The delivery was not saved"), self._ctx.uow() as uow:
            records = _products(uow, [e.product_id for e in entries])
            receipt = receive_goods(
                self._ctx.ids(),
                cashier.user_id,
                now,
                [parse_quantity(e.quantity, _item(records[e.product_id])) for e in entries],
                supplier=supplier,
                reference=reference,
            )
            moved = [(line.product_id, line.qty_milli) for line in receipt.lines]
            self._move(uow, moved, RECEIPT_MOVEMENT, receipt.id, now)
            uow.outbox.append(str(EventType.GOODS_RECEIVED), receipt.to_payload(), now)
            uow.audit.record(
                "goods_received",
                cashier.user_id,
                None,
                {
                    "receipt_id": receipt.id,
                    "supplier": receipt.supplier,
                    "reference": receipt.reference,
                    "lines": [[pid, milli] for pid, milli in moved],
                },
                now,
            )
            levels = uow.stock.levels([pid for pid, _ in moved])
            uow.commit()
        self._ctx.events_committed()  # head office sees it soon, like a sale
        views = [_view(records[pid], levels[pid]) for pid, _ in moved]
        source = f" from {receipt.supplier}" if receipt.supplier else ""
        note = f" (delivery note {receipt.reference})" if receipt.reference else ""
        message = f"Received {_products_text(len(views))}{source}{note}: {_summary(views)}."
        return StockResult(receipt.id, message, tuple(views))

    # ----- adjustments -----------------------------------------------------------------------

    def adjust(
        self,
        entries: Sequence[StockEntry],
        reason: str,
        note: str = "",
        *,
        counted: bool = False,
        approval: Approval | None = None,
    ) -> StockResult:
        """Correct the stock: ``counted`` entries are what is on the shelf (the change is
        worked out from the stock on record), otherwise each entry is a signed change.
        Raises ``ApprovalRequired`` for a cashier without a manager's ``approval``."""
        cashier = self._ctx.require_cashier()
        now = self._ctx.clock.now()
        with self._ctx.uow(read_only=True) as uow:  # what was typed is checked first
            self._adjustment(uow, entries, reason, note, counted, cashier.user_id, None, now)
        approver = authorize(self._ctx, Action.STOCK_ADJUSTMENT, approval)
        with storage_errors("The stock adjustment was not saved"), self._ctx.uow() as uow:
            adjustment, records = self._adjustment(
                uow, entries, reason, note, counted, cashier.user_id, approver, now
            )
            moved = [(line.product_id, line.delta_milli) for line in adjustment.lines]
            self._move(uow, moved, ADJUSTMENT_MOVEMENT, adjustment.id, now)
            uow.outbox.append(str(EventType.STOCK_ADJUSTED), adjustment.to_payload(), now)
            uow.audit.record(
                str(Action.STOCK_ADJUSTMENT),
                cashier.user_id,
                approver,
                {
                    "adjustment_id": adjustment.id,
                    "reason": adjustment.reason_text,
                    "counted": counted,
                    "lines": [[pid, milli] for pid, milli in moved],
                },
                now,
            )
            levels = uow.stock.levels([pid for pid, _ in moved])
            uow.commit()
        self._ctx.events_committed()
        views = [_view(records[pid], levels[pid]) for pid, _ in moved]
        changes = ", ".join(
            f"{view.name} {_signed(milli, view.sold_by_weight)}, now {view.on_hand_text}"
            for (_, milli), view in list(zip(moved, views, strict=True))[:SHOWN_IN_MESSAGE]
        )
        more = len(views) - SHOWN_IN_MESSAGE
        if more > 0:
            changes += f" and {_products_text(more)} more"
        message = f"Stock adjusted ({adjustment.reason_text}): {changes}."
        return StockResult(adjustment.id, message, tuple(views))

    def _adjustment(
        self,
        uow: UnitOfWork,
        entries: Sequence[StockEntry],
        reason: str,
        note: str,
        counted: bool,
        cashier_id: str,
        approver: str | None,
        now: datetime,
    ) -> tuple[StockAdjustment, dict[str, ProductRecord]]:
        records = _products(uow, [e.product_id for e in entries])
        quantities = [
            parse_quantity(e.quantity, _item(records[e.product_id]), signed=not counted)
            for e in entries
        ]
        if counted:
            levels = uow.stock.levels(list(records))
            on_hand = {
                pid: level.on_hand_milli if level.head_office_milli is not None else None
                for pid, level in levels.items()
            }
            adjustment = adjust_stock_to_count(
                self._ctx.ids(),
                cashier_id,
                now,
                reason,
                quantities,
                on_hand,
                note=note,
                approved_by=approver,
            )
        else:
            adjustment = adjust_stock(
                self._ctx.ids(),
                cashier_id,
                now,
                reason,
                quantities,
                note=note,
                approved_by=approver,
            )
        return adjustment, records

    def _move(
        self,
        uow: UnitOfWork,
        moved: list[tuple[str, int]],
        reason: str,
        record_id: str,
        now: datetime,
    ) -> None:
        uow.stock.add_many(
            [
                StockMovementRecord(self._ctx.ids(), pid, milli, reason, record_id, now)
                for pid, milli in moved
            ]
        )


def _products(uow: UnitOfWork, product_ids: Sequence[str]) -> dict[str, ProductRecord]:
    """The active products of these ids (one read each, duplicates once)."""
    records: dict[str, ProductRecord] = {}
    for pid in dict.fromkeys(product_ids):
        record = uow.products.get(pid)
        if record is None or not record.active:
            raise ProductNotFound(
                "A product on the list is no longer in the catalog. Remove it and try again."
            )
        records[pid] = record
    return records


def _item(record: ProductRecord) -> StockItem:
    return StockItem(record.id, record.name, record.sold_by_weight)


def _view(record: ProductRecord, level: LocalStockLevel) -> StockLevelView:
    return StockLevelView(
        product_id=record.id,
        name=record.name,
        barcode=record.barcode,
        sold_by_weight=record.sold_by_weight,
        on_hand_milli=level.on_hand_milli,
        on_hand_text=format_stock(level.on_hand_milli, record.sold_by_weight),
        known=level.head_office_milli is not None,
        unit_hint="kg" if record.sold_by_weight else "pieces",
    )


def _signed(milli: int, sold_by_weight: bool) -> str:
    return ("+" if milli > 0 else "-") + format_stock(abs(milli), sold_by_weight)


def _products_text(count: int) -> str:
    return "1 product" if count == 1 else f"{count} products"


def _summary(views: list[StockLevelView]) -> str:
    text = ", ".join(f"{v.name} now {v.on_hand_text}" for v in views[:SHOWN_IN_MESSAGE])
    more = len(views) - SHOWN_IN_MESSAGE
    return text + (f" and {_products_text(more)} more" if more > 0 else "")
