"""The sale being rung up on one till window: scan, quantities, discounts, tenders; with its
parts (``session_completion``, ``session_parking``, ``session_leftover``) park and complete.

The cart lives in memory (a domain ``Cart``) and is kept on disk after every change
(``open_cart.OpenCartStore``), so a crash does not lose it: the next login is offered the
leftover sale to restore or discard. Approved actions (discounts above the limit, price
overrides, voids after payment) are remembered and written to the audit log in the same
transaction that completes, parks or cancels the sale.
"""

from __future__ import annotations

from asiria_desktop.domain.cart import PaymentMethod
from asiria_desktop.domain.customer import SaleCustomer
from asiria_desktop.domain.permissions import Action
from asiria_desktop.domain.pricing import Discount, DiscountKind
from asiria_desktop.services.results import Approval, CartView, ScanOutcome
from asiria_desktop.services.sale.catalog import product_ref
from asiria_desktop.services.sale.session_completion import CompletionActions
from asiria_desktop.services.sale.session_core import SessionCore, discount_kind
from asiria_desktop.services.sale.session_leftover import LeftoverActions
from asiria_desktop.services.sale.session_parking import ParkingActions
from asiria_desktop.services.signin.approvals import authorize


class SaleSession(CompletionActions, ParkingActions, LeftoverActions, SessionCore):
    """One till window's sale: ringing up, tenders and the customer here; completing,
    parking and the sale a crash cut off in the parts it is built from."""

    # ----- ringing up ----------------------------------------------------------------------------

    def scan(self, raw_code: str) -> ScanOutcome:
        """Add the scanned product. A repeat of the same code within the scanner's trailing-Enter
        window (``scan_debounce_ms``) is ignored, so one scan never rings up twice."""
        self._ctx.require_cashier()
        code = raw_code.strip()
        now = self._monotonic()
        with self._lock:
            last = self._last_scan
            self._last_scan = (code, now)
            window = self._ctx.settings.scan_debounce_ms / 1000
            if last is not None and last[0] == code and code and now - last[1] < window:
                return ScanOutcome(False, None, "", ignored=True)
        self._refuse_over_leftover()
        lookup, record = self._catalog.lookup_record(raw_code)  # one read, no second lookup
        if not lookup.found or lookup.product is None or record is None:
            return ScanOutcome(False, None, lookup.message)
        product = lookup.product
        if product.sold_by_weight and lookup.qty_milli is None and lookup.label_price_cents is None:
            return ScanOutcome(
                False, None, lookup.message, product_id=product.id, needs_weight=True
            )
        with self._lock:
            line = self._cart.add_product(
                product_ref(record),
                qty=lookup.qty or 1,
                qty_milli=lookup.qty_milli,
                label_price_cents=lookup.label_price_cents,
            )
            self._keep()
        self._show_line(line.id)
        return ScanOutcome(True, line.id, f"Added {product.name}.", product_id=product.id)

    def add_product(
        self, product_id: str, qty: int = 1, qty_milli: int | None = None
    ) -> ScanOutcome:
        """Add a product picked from search or a category (``qty_milli`` for weighed items)."""
        self._ctx.require_cashier()
        self._refuse_over_leftover()
        record = self._catalog.record(product_id)
        with self._lock:
            line = self._cart.add_product(product_ref(record), qty=qty, qty_milli=qty_milli)
            self._keep()
        self._show_line(line.id)
        return ScanOutcome(True, line.id, f"Added {record.name}.", product_id=record.id)

    def set_qty(self, line_id: str, qty: int) -> CartView:
        with self._lock:
            self._cart.set_qty(line_id, qty)
            self._keep()
            return self.view()

    def set_weight(self, line_id: str, qty_milli: int) -> CartView:
        with self._lock:
            self._cart.set_qty_milli(line_id, qty_milli)
            self._keep()
            return self.view()

    def void_line(self, line_id: str, approval: Approval | None = None) -> CartView:
        """Remove a line; once money was taken this needs a manager."""
        cashier = self._ctx.require_cashier()
        with self._lock:
            line = self._cart.line(line_id)
            approver = None
            if self._cart.has_payments:
                approver = authorize(self._ctx, Action.VOID_LINE_AFTER_PAYMENT, approval)
            total = self._cart.priced().line(line_id).total_cents
            self._cart.void_line(line_id)
            self._remember(
                "void_line",
                cashier.user_id,
                approver,
                {"product_id": line.product.id, "name": line.product.name, "total_cents": total},
            )
            self._keep()
            return self.view()

    def discount_line(
        self,
        line_id: str,
        kind: DiscountKind,
        value: int,
        approval: Approval | None = None,
        reason: str = "",
    ) -> CartView:
        """``kind`` percent (``value`` in basis points, 1000 = 10 %) or amount (cents);
        a value of 0 removes the discount. Above the cashier's limit a manager must approve."""
        cashier = self._ctx.require_cashier()
        with self._lock:
            line = self._cart.line(line_id)
            if value == 0:
                self._cart.set_line_discount(line_id, None)
                self._keep()
                return self.view()
            base = line.to_input().gross_cents
            approver = self._discount_approver(
                Discount(discount_kind(kind), value, reason), base, approval
            )
            self._cart.set_line_discount(
                line_id, Discount(discount_kind(kind), value, reason, approver)
            )
            self._remember(
                "discount_line",
                cashier.user_id,
                approver,
                {"product_id": line.product.id, "kind": kind, "value": value, "reason": reason},
            )
            self._keep()
            return self.view()

    def discount_cart(
        self, kind: DiscountKind, value: int, approval: Approval | None = None, reason: str = ""
    ) -> CartView:
        cashier = self._ctx.require_cashier()
        with self._lock:
            if value == 0:
                self._cart.set_cart_discount(None)
                self._keep()
                return self.view()
            priced = self._cart.priced()
            base = priced.total_cents + priced.cart_discount_cents
            approver = self._discount_approver(
                Discount(discount_kind(kind), value, reason), base, approval
            )
            self._cart.set_cart_discount(Discount(discount_kind(kind), value, reason, approver))
            self._remember(
                "discount_cart",
                cashier.user_id,
                approver,
                {"kind": kind, "value": value, "reason": reason, "base_cents": base},
            )
            self._keep()
            return self.view()

    def override_price(
        self, line_id: str, unit_price_cents: int, approval: Approval | None = None
    ) -> CartView:
        cashier = self._ctx.require_cashier()
        with self._lock:
            line = self._cart.line(line_id)
            approver = authorize(self._ctx, Action.PRICE_OVERRIDE, approval) or cashier.user_id
            self._cart.override_price(line_id, unit_price_cents, approver)
            self._remember(
                str(Action.PRICE_OVERRIDE),
                cashier.user_id,
                approver,
                {
                    "product_id": line.product.id,
                    "name": line.product.name,
                    "from_cents": line.unit_price_cents,
                    "to_cents": unit_price_cents,
                },
            )
            self._keep()
            return self.view()

    # ----- tenders -------------------------------------------------------------------------------

    def add_payment(self, method: str, amount_cents: int, reference: str | None = None) -> CartView:
        self._ctx.require_cashier()
        with self._lock:
            self._cart.add_payment(PaymentMethod(method), amount_cents, reference)
            self._keep()
            self._show_total(self._cart.total_cents, self._cart.change_cents)
            return self.view()

    def remove_payment(self, payment_id: str) -> CartView:
        with self._lock:
            self._cart.remove_payment(payment_id)
            self._keep()
            return self.view()

    # ----- the customer ---------------------------------------------------------------------------

    def attach_customer(self, customer: SaleCustomer | None) -> None:
        """The customer this sale is for (``None``: nobody); sent with ``sale.completed``."""
        with self._lock:
            self._customer = customer

    @property
    def customer(self) -> SaleCustomer | None:
        return self._customer
