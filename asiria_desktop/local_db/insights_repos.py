"""Reads for the manager's view (today's figures) and the sale screen's basket hint.

Times are stored as ISO text with their offset, so an SQL range on the text is exact only for
one offset: the query takes a day more on each side (an index range scan on
``ix_sales_completed_at``) and the exact period is cut in Python on the parsed times.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from asiria_desktop.local_db.models import (
    BasketHint,
    RefundRow,
    Sale,
    SaleLine,
    SalePayment,
    VoidRow,
)
from asiria_desktop.ports.insights import (
    PaymentTotal,
    PeriodSales,
    ProductTotal,
    SoldSale,
)
from asiria_desktop.ports.sync_store import BasketCompanion, BasketHintRecord

MARGIN = timedelta(days=1)  # wider than any two UTC offsets apart (at most 26 hours)


class SqlInsightsReader:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def basket_hint(self, product_id: str) -> BasketHintRecord | None:
        with Session(self._engine) as session:
            row = session.get(BasketHint, product_id)
            if row is None:
                return None
            companions = tuple(
                BasketCompanion(
                    str(c["product_id"]),
                    str(c["name"]),
                    int(c["confidence_bp"]),
                    int(c["lift_milli"]),
                )
                for c in json.loads(row.companions)
            )
            return BasketHintRecord(row.product_id, companions)

    def sales_between(self, start: datetime, end: datetime) -> PeriodSales:
        low, high = start - MARGIN, end + MARGIN
        with Session(self._engine) as session:
            voided = set(session.scalars(select(VoidRow.sale_id)))
            candidates = session.execute(
                select(Sale.id, Sale.completed_at, Sale.total_cents, Sale.change_cents).where(
                    Sale.completed_at >= low, Sale.completed_at < high
                )
            ).all()
            kept = [row for row in candidates if start <= row.completed_at < end]
            sold = [row for row in kept if row.id not in voided]
            ids = [row.id for row in sold]
            payments = (
                session.execute(
                    select(SalePayment.method, func.sum(SalePayment.amount_cents))
                    .where(SalePayment.sale_id.in_(ids))
                    .group_by(SalePayment.method)
                ).all()
                if ids
                else []
            )
            products = (
                session.execute(
                    select(
                        SaleLine.product_id,
                        func.max(SaleLine.name),
                        func.coalesce(func.sum(SaleLine.qty), 0),
                        func.coalesce(func.sum(SaleLine.qty_milli), 0),
                        func.sum(SaleLine.total_cents),
                    )
                    .where(SaleLine.sale_id.in_(ids))
                    .group_by(SaleLine.product_id)
                    .order_by(func.sum(SaleLine.total_cents).desc(), func.max(SaleLine.name))
                ).all()
                if ids
                else []
            )
            refunds = session.execute(
                select(RefundRow.created_at, RefundRow.total_cents).where(
                    RefundRow.created_at >= low, RefundRow.created_at < high
                )
            ).all()
        return PeriodSales(
            sales=tuple(SoldSale(r.completed_at, r.total_cents, r.change_cents) for r in sold),
            voided_count=len(kept) - len(sold),
            payments=tuple(PaymentTotal(method, int(amount)) for method, amount in payments),
            products=tuple(
                ProductTotal(pid, name, int(qty or 0), int(milli or 0), int(total or 0))
                for pid, name, qty, milli, total in products
            ),
            refunds_cents=sum(total for at, total in refunds if start <= at < end),
        )
