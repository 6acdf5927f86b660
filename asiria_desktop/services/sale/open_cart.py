"""The sale in progress on disk: saved after every change, offered back after a crash.

A crash (power cut, killed process) must not cost the cashier the items already scanned. After
every change the sale session writes the cart snapshot (the one parking uses) and the approvals
it has not yet audited to the single-row ``open_cart`` table, in a transaction of its own: one
small row rewritten without waiting for the disk (it survives a crash of the till's process,
not necessarily a power cut), far cheaper than the sale's own commit. Completing, parking or
cancelling the sale removes the row in that same transaction, so a row found at start-up is
always a sale that was cut off, and the next cashier to log in is asked to restore or discard it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from asiria_desktop.domain.cart import Cart
from asiria_desktop.domain.json_types import JsonObject, JsonValue
from asiria_desktop.ports.records import OpenCartRecord
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.sale.cart_view import cart_view

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingAudit:
    """An approved action (discount, override, void) to audit when the sale is settled."""

    action: str
    actor_id: str
    approver_id: str | None
    details: JsonObject

    @classmethod
    def from_json(cls, data: JsonValue) -> PendingAudit:
        """One approval as ``_state`` kept it; TypeError when it was changed into something else."""
        if not isinstance(data, dict):
            raise TypeError("a kept approval is not an object")
        action, actor, approver = data.get("action"), data.get("actor_id"), data.get("approver_id")
        details = data.get("details", {})
        if not (isinstance(action, str) and isinstance(actor, str) and isinstance(details, dict)):
            raise TypeError("a kept approval lacks its action, actor or details")
        if approver is not None and not isinstance(approver, str):
            raise TypeError("a kept approval's approver is not an id")
        return cls(action, actor, approver, details)


@dataclass(frozen=True)
class LeftoverSale:
    """A sale that was being rung up when the till stopped, as offered back to the cashier."""

    item_count: int
    total_cents: int
    total_text: str
    has_payments: bool
    saved_at: datetime
    saved_by: str | None

    @property
    def question(self) -> str:
        items = "1 item" if self.item_count == 1 else f"{self.item_count} items"
        return f"Restore the sale in progress ({items}, {self.total_text})?"


@dataclass(frozen=True)
class KeptSale:
    """What the open-cart row holds, read back."""

    cart: Cart
    audits: list[PendingAudit]
    record: OpenCartRecord


class OpenCartStore:
    def __init__(self, ctx: TillContext) -> None:
        self._ctx = ctx

    def save(self, cart: Cart, audits: Sequence[PendingAudit], cashier_id: str | None) -> None:
        """Keep the sale as it is now; an emptied cart leaves nothing to offer back. A failed
        write is logged, never raised: the cashier's sale goes on in memory, it just would not
        survive a crash."""
        try:
            # Not flushed to disk: a killed till keeps it, a power cut may lose the last
            # changes; the sale's own commit stays fully durable.
            with self._ctx.uow(durable=False) as uow:
                if cart.is_empty and not cart.has_payments:
                    uow.open_cart.clear()
                else:
                    uow.open_cart.save(
                        OpenCartRecord(cashier_id, self._ctx.clock.now(), _state(cart, audits))
                    )
                uow.commit()
        except Exception:
            log.exception("the sale in progress could not be kept on disk")

    def load(self) -> KeptSale | None:
        with self._ctx.uow(read_only=True) as uow:
            record = uow.open_cart.get()
        if record is None:
            return None
        settings = self._ctx.settings
        try:
            snapshot, kept_audits = record.state["cart"], record.state.get("audits", [])
            if not isinstance(snapshot, dict) or not isinstance(kept_audits, list):
                raise TypeError("the kept sale is not a cart and its approvals")
            cart = Cart.from_snapshot(
                snapshot,
                self._ctx.ids,
                tax_table=settings.tax_table,
                currency=settings.currency,
            )
            audits = [PendingAudit.from_json(a) for a in kept_audits]
        except (KeyError, TypeError, ValueError):
            log.exception("the kept sale in progress cannot be read; it is ignored")
            return None
        return KeptSale(cart, audits, record)

    def leftover(self, kept: KeptSale) -> LeftoverSale:
        view = cart_view(kept.cart, self._ctx.settings.currency)
        return LeftoverSale(
            item_count=view.item_count,  # counted as the cart panel counts them
            total_cents=view.total_cents,
            total_text=view.total_text,
            has_payments=kept.cart.has_payments,
            saved_at=kept.record.saved_at,
            saved_by=kept.record.cashier_id,
        )


def _state(cart: Cart, audits: Sequence[PendingAudit]) -> JsonObject:
    return {"cart": cart.to_snapshot(), "audits": [asdict(a) for a in audits]}
