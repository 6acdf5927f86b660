"""The sale that was being rung up when the till last stopped: restored or discarded."""

from __future__ import annotations

from asiria_desktop.domain.errors import DomainError, PaymentError
from asiria_desktop.domain.json_types import JsonObject
from asiria_desktop.services.context import storage_errors
from asiria_desktop.services.results import CartView
from asiria_desktop.services.sale.open_cart import KeptSale, LeftoverSale
from asiria_desktop.services.sale.session_core import SessionCore


class LeftoverActions(SessionCore):
    """Offer back the sale a crash cut off: restore it or discard it (audited)."""

    def leftover_sale(self) -> LeftoverSale | None:
        """The sale that was being rung up when the till last stopped, if it was neither
        completed, parked nor cancelled; None once it is restored or discarded."""
        kept = self._leftover()
        return None if kept is None else self._store.leftover(kept)

    def restore_leftover(self) -> CartView:
        """Carry on with the sale that was cut off, its approvals (still to audit) included."""
        cashier = self._ctx.require_cashier()
        with self._lock:
            kept = self._leftover()
            if kept is None:
                raise DomainError("There is no sale from before the restart to restore.")
            if not self._cart.is_empty:
                raise DomainError("Finish or park the current sale before restoring another.")
            with storage_errors("The sale was not restored"), self._ctx.uow() as uow:
                uow.audit.record(
                    "open_cart_restored",
                    cashier.user_id,
                    None,
                    self._leftover_details(kept),
                    self._ctx.clock.now(),
                )
                uow.commit()
            self._cart = kept.cart
            self._audits = list(kept.audits)
            self._kept = None
            self._keep()
            return self.view()

    def discard_leftover(self) -> CartView:
        """Throw away the sale that was cut off, as cancelling it would (audited). Refused while
        it holds payments: money was taken, so restore it and give the money back first."""
        cashier = self._ctx.require_cashier()
        with self._lock:
            kept = self._leftover()
            if kept is None:
                return self.view()
            if kept.cart.has_payments:
                raise PaymentError(
                    "This sale has payments. Restore it, then finish it or give the money back."
                )
            pending, self._audits = self._audits, list(kept.audits)
            try:
                with storage_errors("The sale was not discarded"), self._ctx.uow() as uow:
                    uow.audit.record(
                        "open_cart_discarded",
                        cashier.user_id,
                        None,
                        self._leftover_details(kept),
                        self._ctx.clock.now(),
                    )
                    self._flush_audits(uow, {"discarded": True})
                    uow.open_cart.clear()
                    uow.commit()
            finally:
                self._audits = pending
            self._kept = None
            return self.view()

    def _leftover_details(self, kept: KeptSale) -> JsonObject:
        return {
            "lines": len(kept.cart.lines),
            "total_cents": kept.cart.priced().total_cents,
            "payments": len(kept.cart.payments),
            "saved_by": kept.record.cashier_id,
            "saved_at": kept.record.saved_at.isoformat(),
        }
