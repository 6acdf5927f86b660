"""The M-Pesa prompts this till sent (``ports.mpesa.MpesaPromptStore``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from asiria_desktop.domain.mpesa import PromptState
from asiria_desktop.local_db.engine import light_writer
from asiria_desktop.local_db.models import MpesaPrompt, OpenCart, ParkedCart, SalePayment
from asiria_desktop.ports.mpesa import PromptRecord


class SqlMpesaPromptStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = light_writer(engine)

    def add(self, record: PromptRecord) -> None:
        state = record.state
        with Session(self._writer) as session, session.begin():
            session.merge(
                MpesaPrompt(
                    attempt_id=state.attempt_id,
                    phone=state.phone,
                    amount_cents=state.amount_cents,
                    reference=record.reference,
                    status=state.status,
                    result_code=state.result_code,
                    result_desc=state.result_desc[:255],
                    receipt=state.receipt,
                    sent_at=record.sent_at,
                )
            )

    def update(self, state: PromptState) -> None:
        with Session(self._writer) as session, session.begin():
            row = session.get(MpesaPrompt, state.attempt_id)
            if row is None:
                return
            row.status = state.status
            row.result_code = state.result_code
            row.result_desc = state.result_desc[:255]
            row.receipt = state.receipt

    def get(self, attempt_id: str) -> PromptRecord | None:
        with Session(self._engine) as session:
            row = session.get(MpesaPrompt, attempt_id)
            return None if row is None else _record(row)

    def since(self, moment: datetime) -> list[PromptRecord]:
        # sent_at is ISO text with the till's offset: compare as text only within one offset,
        # so filter in Python (a till keeps a few dozen prompts a day).
        with Session(self._engine) as session:
            rows = session.scalars(
                select(MpesaPrompt).order_by(MpesaPrompt.sent_at.desc()).limit(500)
            )
            return [_record(row) for row in rows if row.sent_at >= moment]

    def receipts_on_sales(self, receipts: list[str]) -> set[str]:
        if not receipts:
            return set()
        with Session(self._engine) as session:
            found = session.scalars(
                select(SalePayment.reference).where(SalePayment.reference.in_(receipts))
            )
            return {receipt for receipt in found if receipt}

    def receipts_held(self, receipts: list[str]) -> set[str]:
        # A till holds a handful of parked sales at most: their snapshots are read whole.
        if not receipts:
            return set()
        with Session(self._engine) as session:
            parked = list(session.scalars(select(ParkedCart.snapshot)))
            kept = list(session.scalars(select(OpenCart.state)))
        carts = [json.loads(text) for text in parked]
        carts += [json.loads(text).get("cart") or {} for text in kept]
        wanted = set(receipts)
        return {ref for cart in carts for ref in _references(cart) if ref in wanted}


def _references(cart: dict[str, Any]) -> list[str]:
    return [str(p["reference"]) for p in cart.get("payments") or [] if p.get("reference")]


def _record(row: MpesaPrompt) -> PromptRecord:
    return PromptRecord(
        state=PromptState(
            attempt_id=row.attempt_id,
            status=row.status,
            amount_cents=row.amount_cents,
            phone=row.phone,
            result_code=row.result_code,
            result_desc=row.result_desc,
            receipt=row.receipt,
        ),
        sent_at=row.sent_at,
        reference=row.reference,
    )
