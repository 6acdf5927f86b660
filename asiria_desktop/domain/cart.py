"""The cart being rung up: lines, discounts, price overrides and tenders, with the rules a cashier
expects (only cash gives change, card and M-Pesa never overpay, a weighed item needs a weight).

The cart never makes ids itself: it asks the ``id_factory`` it was given (UUIDv7 in the till).
Permissions are not checked here; services ask ``permissions.check`` before calling a restricted
method, and pass the approver's id where the cart records it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from .cart_lines import MAX_QTY, MAX_QTY_MILLI, check_qty, ring_up
from .cart_snapshot import (
    SNAPSHOT_VERSION,
    discount_from_dict,
    discount_to_dict,
    line_from_dict,
    line_to_dict,
    payment_from_dict,
    payment_to_dict,
)
from .cart_tenders import accept_tender
from .cart_types import PAYMENT_LABELS, CartLine, PaymentEntry, PaymentMethod, ProductRef
from .errors import (
    ApprovalRequired,
    EmptyCart,
    InvalidAmount,
    InvalidQuantity,
    LineNotFound,
    PaymentError,
)
from .json_types import JsonObject
from .money import KES, MAX_CENTS, Currency, format_amount, round_cash
from .permissions import Action
from .pricing import Discount, DiscountKind, PricedCart, price_cart
from .tax import TaxTable

IdFactory = Callable[[], str]

__all__ = [
    "MAX_QTY",
    "MAX_QTY_MILLI",
    "PAYMENT_LABELS",
    "SNAPSHOT_VERSION",
    "Cart",
    "CartLine",
    "IdFactory",
    "PaymentEntry",
    "PaymentMethod",
    "ProductRef",
]


class _Keep:
    """Marker: leave the cart discount as it is."""


_KEEP = _Keep()


class Cart:
    def __init__(
        self,
        id_factory: IdFactory,
        *,
        tax_table: TaxTable | None = None,
        cash_rounding_step_cents: int = 1,
        currency: Currency = KES,
    ) -> None:
        self._new_id = id_factory
        self._tax_table = tax_table or TaxTable.kenya_default()
        self._cash_step = cash_rounding_step_cents
        self._currency = currency
        self._lines: list[CartLine] = []
        self._voided: list[CartLine] = []
        self._cart_discount: Discount | None = None
        self._payments: list[PaymentEntry] = []
        # ``priced()`` of (these lines, this cart discount): the line list is never changed in
        # place (every change assigns a new list), so identity tells whether it is still valid.
        self._priced: tuple[list[CartLine], Discount | None, PricedCart] | None = None

    # ----- reading

    @property
    def lines(self) -> tuple[CartLine, ...]:
        """Active lines, in the order they were rung up."""
        return tuple(self._lines)

    @property
    def voided_lines(self) -> tuple[CartLine, ...]:
        return tuple(self._voided)

    @property
    def payments(self) -> tuple[PaymentEntry, ...]:
        return tuple(self._payments)

    @property
    def cart_discount(self) -> Discount | None:
        return self._cart_discount

    @property
    def tax_table(self) -> TaxTable:
        return self._tax_table

    @property
    def cash_rounding_step_cents(self) -> int:
        return self._cash_step

    @property
    def is_empty(self) -> bool:
        return not self._lines

    @property
    def has_payments(self) -> bool:
        """Voiding a line once money was taken needs a manager (``VOID_LINE_AFTER_PAYMENT``)."""
        return bool(self._payments)

    def new_id(self) -> str:
        """An id from the cart's factory (for records made from this cart)."""
        return self._new_id()

    def line(self, line_id: str) -> CartLine:
        for line in self._lines:
            if line.id == line_id:
                return line
        raise LineNotFound("That line is no longer in the sale. Refresh and try again.")

    def priced(self) -> PricedCart:
        """The priced cart (computed once per change of the lines or the cart discount)."""
        cached = self._priced
        if cached is not None and cached[0] is self._lines and cached[1] is self._cart_discount:
            return cached[2]
        priced = price_cart(
            [line.to_input() for line in self._lines], self._cart_discount, self._tax_table
        )
        self._priced = (self._lines, self._cart_discount, priced)
        return priced

    @property
    def total_cents(self) -> int:
        return self.priced().total_cents

    @property
    def paid_cents(self) -> int:
        return sum(p.amount_cents for p in self._payments)

    @property
    def _rounds_cash(self) -> bool:
        return self._cash_step > 1 and any(p.method is PaymentMethod.CASH for p in self._payments)

    @property
    def balance_due_cents(self) -> int:
        """What the customer still owes (0 once paid; with cash rounding, a due below half a coin
        counts as paid)."""
        due = max(self.total_cents - self.paid_cents, 0)
        if self._rounds_cash and round_cash(due, self._cash_step) == 0:
            return 0
        return due

    @property
    def cash_due_cents(self) -> int:
        """What to ask for in cash: the balance rounded to the smallest coin."""
        return round_cash(max(self.total_cents - self.paid_cents, 0), self._cash_step)

    @property
    def change_cents(self) -> int:
        """Cash to hand back. Only cash gives change (card and M-Pesa can't overpay)."""
        over = self.paid_cents - self.total_cents
        if over <= 0:
            return 0
        return round_cash(over, self._cash_step) if self._rounds_cash else over

    @property
    def rounding_cents(self) -> int:
        """Cash rounding kept by the shop (+) or given to the customer (-) when settled."""
        if not self.is_paid or not self._rounds_cash:
            return 0
        return self.paid_cents - self.change_cents - self.total_cents

    @property
    def is_paid(self) -> bool:
        return not self.is_empty and self.balance_due_cents == 0

    # ----- changing lines

    def add_product(
        self,
        product: ProductRef,
        qty: int = 1,
        qty_milli: int | None = None,
        unit_price_cents: int | None = None,
        *,
        label_price_cents: int | None = None,
    ) -> CartLine:
        """Ring up a product. A weighed one needs ``qty_milli``, or the price a scale printed on
        its label (``label_price_cents``): the line then charges exactly that price and its
        weight is the price over the price per kg."""
        lines, line = ring_up(
            self._lines,
            product,
            self._new_id,
            qty=qty,
            qty_milli=qty_milli,
            unit_price_cents=unit_price_cents,
            label_price_cents=label_price_cents,
        )
        self._commit(lines)
        return line

    def set_qty(self, line_id: str, qty: int) -> CartLine:
        line = self.line(line_id)
        if line.qty is None:
            raise InvalidQuantity(f"{line.product.name} is weighed: change its weight instead.")
        if qty < 1:
            raise InvalidQuantity("The quantity must be at least 1. To remove the item, void it.")
        check_qty(line.product.name, qty, None)
        return self._replace_line(replace(line, qty=qty))

    def set_qty_milli(self, line_id: str, qty_milli: int) -> CartLine:
        line = self.line(line_id)
        if line.qty_milli is None:
            raise InvalidQuantity(f"{line.product.name} is sold by count: change its quantity.")
        check_qty(line.product.name, None, qty_milli)
        # Weighed again at the till: the label's price no longer applies.
        return self._replace_line(replace(line, qty_milli=qty_milli, label_price_cents=None))

    def void_line(self, line_id: str) -> CartLine:
        line = self.line(line_id)
        self._commit([other for other in self._lines if other.id != line_id])
        self._voided.append(line)
        return line

    def set_line_discount(self, line_id: str, discount: Discount | None) -> CartLine:
        return self._replace_line(replace(self.line(line_id), discount=discount))

    def set_cart_discount(self, discount: Discount | None) -> None:
        if discount is not None and discount.kind is DiscountKind.AMOUNT:
            before = self.priced()
            base = before.total_cents + before.cart_discount_cents
            if discount.value > base:
                raise InvalidAmount(
                    f"The discount {format_amount(discount.value, self._currency)} is more than "
                    f"the sale total ({format_amount(base, self._currency)})."
                )
        self._commit(list(self._lines), discount)

    def override_price(self, line_id: str, unit_price_cents: int, approved_by: str) -> CartLine:
        line = self.line(line_id)
        if not approved_by:
            raise ApprovalRequired(
                Action.PRICE_OVERRIDE, "A manager must approve the price change. Enter a PIN."
            )
        if not 0 <= unit_price_cents <= MAX_CENTS:
            raise InvalidAmount("The new price is not valid.")
        original = line.original_price_cents
        if original is None:
            original = line.unit_price_cents
        changed = replace(
            line,
            unit_price_cents=unit_price_cents,
            price_override_by=approved_by,
            original_price_cents=original,
            label_price_cents=None,  # a new price per kg prices the label's weight afresh
        )
        return self._replace_line(changed)

    # ----- tenders

    def add_payment(
        self, method: PaymentMethod | str, amount_cents: int, reference: str | None = None
    ) -> PaymentEntry:
        method = PaymentMethod(method)
        if self.is_empty:
            raise EmptyCart("Add an item before taking payment.")
        entry = accept_tender(
            method,
            amount_cents,
            reference,
            due_cents=self.balance_due_cents,
            taken=self._payments,
            new_id=self._new_id,
            currency=self._currency,
        )
        self._payments.append(entry)
        return entry

    def remove_payment(self, payment_id: str) -> PaymentEntry:
        for entry in self._payments:
            if entry.id == payment_id:
                self._payments.remove(entry)
                return entry
        raise PaymentError("That payment is no longer on this sale.")

    # ----- park and recall

    def to_snapshot(self) -> JsonObject:
        """A JSON-ready copy of the cart, for parking; ``from_snapshot`` restores it exactly."""
        return {
            "version": SNAPSHOT_VERSION,
            "cash_rounding_step_cents": self._cash_step,
            "lines": [line_to_dict(line) for line in self._lines],
            "voided_lines": [line_to_dict(line) for line in self._voided],
            "cart_discount": discount_to_dict(self._cart_discount),
            "payments": [payment_to_dict(p) for p in self._payments],
        }

    @classmethod
    def from_snapshot(
        cls,
        data: dict[str, Any],
        id_factory: IdFactory,
        *,
        tax_table: TaxTable | None = None,
        currency: Currency = KES,
    ) -> Cart:
        if data.get("version") != SNAPSHOT_VERSION:
            raise ValueError(f"unknown cart snapshot version {data.get('version')!r}")
        cart = cls(
            id_factory,
            tax_table=tax_table,
            cash_rounding_step_cents=int(data.get("cash_rounding_step_cents", 1)),
            currency=currency,
        )
        cart._lines = [line_from_dict(d) for d in data["lines"]]
        cart._voided = [line_from_dict(d) for d in data.get("voided_lines", [])]
        cart._cart_discount = discount_from_dict(data.get("cart_discount"))
        cart._priced = None
        cart._payments = [payment_from_dict(p) for p in data.get("payments", [])]
        return cart

    # ----- internals

    def _replace_line(self, changed: CartLine) -> CartLine:
        discount = changed.discount
        if discount is not None and discount.kind is DiscountKind.AMOUNT:
            gross = changed.to_input().gross_cents
            if discount.value > gross:
                raise InvalidAmount(
                    f"The discount {format_amount(discount.value, self._currency)} would be more "
                    f"than {changed.product.name} costs ({format_amount(gross, self._currency)})."
                    " Change or remove the discount first."
                )
        self._commit([changed if line.id == changed.id else line for line in self._lines])
        return changed

    def _commit(self, lines: list[CartLine], discount: Discount | _Keep | None = _KEEP) -> None:
        """Apply a change only if card/M-Pesa tenders still fit the new total."""
        if isinstance(discount, _Keep):
            discount = self._cart_discount
        priced = price_cart([line.to_input() for line in lines], discount, self._tax_table)
        new_total = priced.total_cents
        non_cash = sum(p.amount_cents for p in self._payments if p.method is not PaymentMethod.CASH)
        if non_cash > new_total:
            raise PaymentError(
                f"Card and M-Pesa payments ({format_amount(non_cash, self._currency)}) would be "
                f"more than the new total ({format_amount(new_total, self._currency)}). "
                "Remove a payment first."
            )
        self._lines = lines
        self._cart_discount = discount
        self._priced = (lines, discount, priced)
