"""Repositories of the till's day: shifts, cash movements, voids, parked and open carts, stock
movements."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, literal_column, select, update
from sqlalchemy.orm import Session

from asiria_desktop.domain.shift import CashMovement, CashMovementKind
from asiria_desktop.domain.voids import SaleVoid
from asiria_desktop.local_db.event_repos import dbapi_cursor, dump_json
from asiria_desktop.local_db.models import CashMovement as CashMovementRow
from asiria_desktop.local_db.models import (
    OpenCart,
    Outbox,
    ParkedCart,
    Shift,
    StockLevel,
    StockMovement,
    VoidRow,
    aware_iso,
)
from asiria_desktop.ports.records import (
    LocalStockLevel,
    OpenCartRecord,
    ParkedCartRecord,
    ShiftRecord,
    StockMovementRecord,
)


def _shift(row: Shift) -> ShiftRecord:
    return ShiftRecord(
        id=row.id,
        terminal_code=row.terminal_code,
        cashier_id=row.cashier_id,
        opened_at=row.opened_at,
        opening_float_cents=row.opening_float_cents,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        counted_cash_cents=row.counted_cash_cents,
    )


class SqlShiftRepository:
    def __init__(self, session: Session, terminal_code: str) -> None:
        self._s = session
        self._terminal = terminal_code

    def open_for_terminal(self) -> ShiftRecord | None:
        # A plain statement: this runs in every sale's transaction.
        row = (
            dbapi_cursor(self._s)
            .execute(
                "SELECT id, terminal_code, cashier_id, opened_at, opening_float_cents, "
                "closed_at, closed_by, counted_cash_cents FROM shifts "
                "WHERE terminal_code = ? AND closed_at IS NULL ORDER BY opened_at DESC LIMIT 1",
                (self._terminal,),
            )
            .fetchone()
        )
        if row is None:
            return None
        return ShiftRecord(
            id=row[0],
            terminal_code=row[1],
            cashier_id=row[2],
            opened_at=datetime.fromisoformat(row[3]),
            opening_float_cents=row[4],
            closed_at=None,
            closed_by=row[6],
            counted_cash_cents=row[7],
        )

    def get(self, shift_id: str) -> ShiftRecord | None:
        row = self._s.get(Shift, shift_id)
        return None if row is None else _shift(row)

    def add(self, record: ShiftRecord) -> None:
        self._s.add(
            Shift(
                id=record.id,
                terminal_code=record.terminal_code,
                cashier_id=record.cashier_id,
                opened_at=record.opened_at,
                opening_float_cents=record.opening_float_cents,
            )
        )
        self._s.flush()

    def close(
        self, shift_id: str, closed_at: datetime, closed_by: str, counted_cash_cents: int
    ) -> None:
        self._s.execute(
            update(Shift)
            .where(Shift.id == shift_id)
            .values(closed_at=closed_at, closed_by=closed_by, counted_cash_cents=counted_cash_cents)
        )


class SqlCashMovementRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, movement: CashMovement) -> None:
        if not movement.id or movement.shift_id is None or movement.moved_at is None:
            raise ValueError("a stored cash movement needs id, shift_id and moved_at")
        self._s.add(
            CashMovementRow(
                id=movement.id,
                shift_id=movement.shift_id,
                kind=str(movement.kind),
                amount_cents=movement.amount_cents,
                reason=movement.reason,
                cashier_id=movement.cashier_id,
                approved_by=movement.approved_by,
                moved_at=movement.moved_at,
            )
        )
        self._s.flush()

    def for_shift(self, shift_id: str) -> list[CashMovement]:
        rows = self._s.scalars(
            select(CashMovementRow)
            .where(CashMovementRow.shift_id == shift_id)
            .order_by(literal_column("rowid"))
        ).all()
        return [
            CashMovement(
                kind=CashMovementKind(r.kind),
                amount_cents=r.amount_cents,
                reason=r.reason,
                id=r.id,
                shift_id=r.shift_id,
                cashier_id=r.cashier_id,
                approved_by=r.approved_by,
                moved_at=r.moved_at,
            )
            for r in rows
        ]


class SqlVoidRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, void: SaleVoid) -> None:
        self._s.add(
            VoidRow(
                id=void.id,
                sale_id=void.sale_id,
                receipt_no=void.receipt_no,
                shift_id=void.shift_id,
                reason=void.reason,
                cashier_id=void.cashier_id,
                approved_by=void.approved_by,
                voided_at=void.voided_at,
                total_cents=void.total_cents,
            )
        )
        self._s.flush()

    def for_sale(self, sale_id: str) -> SaleVoid | None:
        row = self._s.scalars(select(VoidRow).where(VoidRow.sale_id == sale_id)).first()
        return None if row is None else _void(row)

    def for_shift(self, shift_id: str) -> list[SaleVoid]:
        rows = self._s.scalars(select(VoidRow).where(VoidRow.shift_id == shift_id)).all()
        return [_void(r) for r in rows]


def _void(row: VoidRow) -> SaleVoid:
    return SaleVoid(
        id=row.id,
        sale_id=row.sale_id,
        receipt_no=row.receipt_no,
        shift_id=row.shift_id,
        cashier_id=row.cashier_id,
        approved_by=row.approved_by,
        reason=row.reason,
        voided_at=row.voided_at,
        total_cents=row.total_cents,
    )


class SqlParkedCartRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, record: ParkedCartRecord) -> None:
        self._s.add(
            ParkedCart(
                id=record.id,
                label=record.label,
                cashier_id=record.cashier_id,
                parked_at=record.parked_at,
                snapshot=dump_json(record.snapshot),
            )
        )
        self._s.flush()

    def get(self, parked_id: str) -> ParkedCartRecord | None:
        row = self._s.get(ParkedCart, parked_id)
        return None if row is None else _parked(row)

    def all(self) -> list[ParkedCartRecord]:
        rows = self._s.scalars(select(ParkedCart).order_by(literal_column("rowid"))).all()
        return [_parked(r) for r in rows]

    def remove(self, parked_id: str) -> None:
        self._s.execute(delete(ParkedCart).where(ParkedCart.id == parked_id))


class SqlOpenCartRepository:
    _SLOT = 1  # one sale in progress per till

    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self) -> OpenCartRecord | None:
        row = self._s.get(OpenCart, self._SLOT)
        if row is None:
            return None
        return OpenCartRecord(row.cashier_id, row.saved_at, json.loads(row.state))

    def save(self, record: OpenCartRecord) -> None:
        self._s.merge(
            OpenCart(
                slot=self._SLOT,
                cashier_id=record.cashier_id,
                saved_at=record.saved_at,
                state=dump_json(record.state),
            )
        )
        self._s.flush()

    def clear(self) -> None:
        self._s.execute(delete(OpenCart).where(OpenCart.slot == self._SLOT))


def _parked(row: ParkedCart) -> ParkedCartRecord:
    return ParkedCartRecord(
        row.id, row.label, row.cashier_id, row.parked_at, json.loads(row.snapshot)
    )


class SqlStockRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, record: StockMovementRecord) -> None:
        self.add_many([record])

    def add_many(self, records: Sequence[StockMovementRecord]) -> None:
        """One ``executemany`` on the transaction's connection (no ORM objects, no flush)."""
        if records:
            dbapi_cursor(self._s).executemany(
                "INSERT INTO stock_movements (id, product_id, delta_milli, reason, ref_id, at, "
                "extra) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.id,
                        r.product_id,
                        r.delta_milli,
                        r.reason,
                        r.ref_id,
                        aware_iso(r.at),
                        dump_json(r.extra),
                    )
                    for r in records
                ],
            )

    def on_hand_milli(self, product_id: str) -> int:
        total = self._s.scalar(
            select(func.coalesce(func.sum(StockMovement.delta_milli), 0)).where(
                StockMovement.product_id == product_id
            )
        )
        return int(total or 0)

    def levels(self, product_ids: Sequence[str]) -> dict[str, LocalStockLevel]:
        """Head office's figure (``stock_levels``, replaced at each pull) plus this till's
        movements whose outbox events are not sent yet: a sent event is in the pulled figure
        (a sync pushes before it pulls), an unsent one is not. The unsent events are few (a
        day offline is a few thousand), so the subquery stays small whatever the history."""
        ids = list(dict.fromkeys(product_ids))
        if not ids:
            return {}
        head = dict(
            self._s.execute(
                select(StockLevel.product_id, StockLevel.on_hand_milli).where(
                    StockLevel.product_id.in_(ids)
                )
            ).all()
        )
        unsent_records = select(func.json_extract(Outbox.payload, "$.id")).where(
            Outbox.status.in_(("pending", "rejected"))
        )
        own = dict(
            self._s.execute(
                select(StockMovement.product_id, func.sum(StockMovement.delta_milli))
                .where(
                    StockMovement.product_id.in_(ids),
                    StockMovement.ref_id.in_(unsent_records),
                )
                .group_by(StockMovement.product_id)
            ).all()
        )
        return {
            pid: LocalStockLevel(
                pid,
                None if head.get(pid) is None else int(head[pid]),
                int(own.get(pid) or 0),
            )
            for pid in ids
        }
