"""Sales and refunds: rows for queries, plus the full domain record for exact rebuilds."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ColumnClause, literal_column, select
from sqlalchemy.orm import Session

from asiria_desktop.domain.cart import PaymentMethod
from asiria_desktop.domain.refund import Refund, RefundLine
from asiria_desktop.domain.sale import CompletedSale
from asiria_desktop.domain.times import parse_rfc3339
from asiria_desktop.local_db.event_repos import dbapi_cursor, dump_json
from asiria_desktop.local_db.models import RefundLineRow, RefundRow, Sale, aware_iso

# SQLite's rowid grows with every insert: the order things happened on this till, whatever the
# clock said (times are never used for ordering, ARCHITECTURE.md 5).
INSERTION_ORDER: ColumnClause[int] = literal_column("rowid")


class SqlSaleRepository:
    def __init__(self, session: Session, terminal_code: str) -> None:
        self._s = session
        self._terminal = terminal_code

    def add(self, sale: CompletedSale) -> None:
        # Plain statements on the transaction's connection: the ORM's unit of work (objects,
        # two flushes) cost more CPU than SQLite's inserts. Same columns and values as the
        # models (``AwareDateTime`` -> ISO 8601 with offset).
        cursor = dbapi_cursor(self._s)
        cursor.execute(
            "INSERT INTO sales (id, receipt_no, terminal_code, cashier_id, shift_id, "
            "completed_at, currency, subtotal_cents, discount_cents, tax_cents, total_cents, "
            "change_cents, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sale.id,
                sale.receipt_no,
                sale.terminal_code,
                sale.cashier_id,
                sale.shift_id,
                aware_iso(sale.completed_at),
                sale.currency.code,
                sale.subtotal_cents,
                sale.discount_cents,
                sale.tax_cents,
                sale.total_cents,
                sale.change_cents,
                dump_json(sale.to_record()),
            ),
        )
        cursor.executemany(
            "INSERT INTO sale_lines (id, sale_id, position, product_id, barcode, name, qty, "
            "qty_milli, unit_price_cents, discount_cents, tax_cents, total_cents) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    line.id,
                    sale.id,
                    i,
                    line.product_id,
                    line.barcode,
                    line.name,
                    line.qty,
                    line.qty_milli,
                    line.unit_price_cents,
                    line.discount_cents,
                    line.tax_cents,
                    line.total_cents,
                )
                for i, line in enumerate(sale.lines)
            ],
        )
        cursor.executemany(
            "INSERT INTO sale_payments (id, sale_id, position, method, amount_cents, reference) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (p.id, sale.id, i, str(p.method), p.amount_cents, p.reference)
                for i, p in enumerate(sale.payments)
            ],
        )

    def get(self, sale_id: str) -> CompletedSale | None:
        row = self._s.get(Sale, sale_id)
        return None if row is None else CompletedSale.from_record(json.loads(row.data))

    def by_receipt_no(self, receipt_no: str) -> CompletedSale | None:
        row = self._s.scalars(select(Sale).where(Sale.receipt_no == receipt_no)).first()
        return None if row is None else CompletedSale.from_record(json.loads(row.data))

    def for_shift(self, shift_id: str) -> list[CompletedSale]:
        rows = self._s.scalars(
            select(Sale).where(Sale.shift_id == shift_id).order_by(INSERTION_ORDER)
        ).all()
        return [CompletedSale.from_record(json.loads(r.data)) for r in rows]

    def last_for_terminal(self) -> CompletedSale | None:
        row = self._s.scalars(
            select(Sale)
            .where(Sale.terminal_code == self._terminal)
            .order_by(INSERTION_ORDER.desc())
            .limit(1)
        ).first()
        return None if row is None else CompletedSale.from_record(json.loads(row.data))


class SqlRefundRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, refund: Refund) -> None:
        self._s.add(
            RefundRow(
                id=refund.id,
                sale_id=refund.sale_id,
                shift_id=refund.shift_id,
                method=str(refund.method),
                created_at=refund.created_at,
                approved_by=refund.approved_by,
                total_cents=refund.total_cents,
                tax_cents=refund.tax_cents,
                data=dump_json(refund.to_payload()),
            )
        )
        self._s.flush()
        self._s.add_all(
            RefundLineRow(
                id=line.id,
                refund_id=refund.id,
                sale_line_id=line.sale_line_id,
                qty=line.qty,
                qty_milli=line.qty_milli,
                total_cents=line.total_cents,
                tax_cents=line.tax_cents,
            )
            for line in refund.lines
        )
        self._s.flush()

    def for_sale(self, sale_id: str) -> list[Refund]:
        rows = self._s.scalars(
            select(RefundRow).where(RefundRow.sale_id == sale_id).order_by(INSERTION_ORDER)
        ).all()
        return [refund_from_payload(json.loads(r.data)) for r in rows]

    def for_shift(self, shift_id: str) -> list[Refund]:
        rows = self._s.scalars(
            select(RefundRow).where(RefundRow.shift_id == shift_id).order_by(INSERTION_ORDER)
        ).all()
        return [refund_from_payload(json.loads(r.data)) for r in rows]


def refund_from_payload(data: dict[str, Any]) -> Refund:
    """Rebuild a ``Refund`` from its ``refund.created`` payload (which carries every field)."""
    return Refund(
        id=data["id"],
        sale_id=data["sale_id"],
        receipt_no=data["receipt_no"],
        lines=tuple(
            RefundLine(
                id=line["id"],
                sale_line_id=line["sale_line_id"],
                product_id=line["product_id"],
                name=line["name"],
                qty=line["qty"],
                qty_milli=line["qty_milli"],
                total_cents=line["total_cents"],
                tax_cents=line["tax_cents"],
            )
            for line in data["lines"]
        ),
        method=PaymentMethod(data["method"]),
        total_cents=data["total_cents"],
        tax_cents=data["tax_cents"],
        created_at=parse_rfc3339(data["created_at"]),
        approved_by=data["approved_by"],
        cashier_id=data["cashier_id"],
        shift_id=data["shift_id"],
        reason=data.get("reason", ""),
        refund_no=data.get("refund_no", ""),
    )
