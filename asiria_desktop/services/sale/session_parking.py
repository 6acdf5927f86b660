"""Putting a sale aside (stored in the database, so it survives a restart) and recalling it."""

from __future__ import annotations

from asiria_desktop.domain.errors import DomainError, PaymentError
from asiria_desktop.ports.records import ParkedCartRecord
from asiria_desktop.services.context import storage_errors
from asiria_desktop.services.formatting import money_text
from asiria_desktop.services.results import CartView, ParkedView
from asiria_desktop.services.sale.session_core import SessionCore


class ParkingActions(SessionCore):
    """Park the sale in progress, list parked sales, recall one."""

    def park(self, label: str = "") -> str:
        """Put the sale aside (stored in the database, so it survives a restart)."""
        cashier = self._ctx.require_cashier()
        with self._lock:
            if self._cart.is_empty:
                raise DomainError("There is nothing to park.")
            if self._cart.has_payments:
                raise PaymentError("This sale has payments. Finish it, or remove them to park it.")
            now = self._ctx.clock.now()
            parked_id = self._ctx.ids()
            label = " ".join(label.split())[:100] or f"Parked {now:%H:%M}"
            with storage_errors("The sale was not parked"), self._ctx.uow() as uow:
                uow.parked.add(
                    ParkedCartRecord(
                        parked_id, label, cashier.user_id, now, self._cart.to_snapshot()
                    )
                )
                uow.audit.record("park", cashier.user_id, None, {"parked_id": parked_id}, now)
                self._flush_audits(uow, {"parked_id": parked_id})
                uow.open_cart.clear()
                uow.commit()
            self._audits = []
            self._cart = self._new_cart()
            return parked_id

    def parked(self) -> list[ParkedView]:
        with self._ctx.uow(read_only=True) as uow:
            records = uow.parked.all()
        views = []
        for record in records:
            cart = self._cart_from(record.snapshot)
            priced = cart.priced()
            views.append(
                ParkedView(
                    id=record.id,
                    label=record.label,
                    parked_at=record.parked_at,
                    item_count=len(cart.lines),
                    total_cents=priced.total_cents,
                    total_text=money_text(priced.total_cents, self._ctx.settings.currency),
                )
            )
        return views

    def recall(self, parked_id: str) -> CartView:
        cashier = self._ctx.require_cashier()
        self._refuse_over_leftover()
        with self._lock:
            if not self._cart.is_empty:
                raise DomainError("Finish or park the current sale before recalling another.")
            with storage_errors("The sale was not recalled"), self._ctx.uow() as uow:
                record = uow.parked.get(parked_id)
                if record is None:
                    raise DomainError("That parked sale is gone (already recalled?).")
                cart = self._cart_from(record.snapshot)
                uow.parked.remove(parked_id)
                uow.audit.record(
                    "recall", cashier.user_id, None, {"parked_id": parked_id}, self._ctx.clock.now()
                )
                uow.commit()
            # Recalled, the sale is the one in progress: kept like any other.
            self._cart = cart
            self._keep()
            return self.view()
