"""Turning the domain ``Cart`` into the ``CartView`` the UI shows."""

from __future__ import annotations

from asiria_desktop.domain.cart import PAYMENT_LABELS, Cart
from asiria_desktop.domain.money import Currency
from asiria_desktop.services.formatting import money_text, qty_text, unit_price_text
from asiria_desktop.services.results import CartLineView, CartView, PaymentView


def cart_view(cart: Cart, currency: Currency) -> CartView:
    priced = cart.priced()
    by_id = {line.id: line for line in cart.lines}
    lines = tuple(
        CartLineView(
            line_id=p.line_id,
            product_id=p.product_id,
            name=p.name,
            barcode=p.barcode,
            qty=p.qty,
            qty_milli=p.qty_milli,
            qty_text=qty_text(p.qty, p.qty_milli),
            unit_price_cents=p.unit_price_cents,
            unit_price_text=unit_price_text(p.unit_price_cents, p.qty_milli, currency),
            gross_cents=p.gross_cents,
            discount_cents=p.discount_cents,
            discount_text=money_text(p.discount_cents, currency) if p.discount_cents else "",
            tax_cents=p.tax_cents,
            total_cents=p.total_cents,
            total_text=money_text(p.total_cents, currency),
            price_overridden=by_id[p.line_id].price_override_by is not None,
            sold_by_weight=by_id[p.line_id].product.sold_by_weight,
        )
        for p in priced.lines
    )
    payments = tuple(
        PaymentView(
            id=p.id,
            method=str(p.method),
            label=PAYMENT_LABELS[p.method],
            amount_cents=p.amount_cents,
            amount_text=money_text(p.amount_cents, currency),
            reference=p.reference,
        )
        for p in cart.payments
    )
    paid = cart.paid_cents
    due = cart.balance_due_cents
    change = cart.change_cents
    return CartView(
        lines=lines,
        payments=payments,
        item_count=sum(line.qty if line.qty is not None else 1 for line in priced.lines),
        subtotal_cents=priced.subtotal_cents,
        discount_cents=priced.discount_cents,
        tax_cents=priced.tax_cents,
        total_cents=priced.total_cents,
        paid_cents=paid,
        balance_due_cents=due,
        change_cents=change,
        subtotal_text=money_text(priced.subtotal_cents, currency),
        discount_text=money_text(priced.discount_cents, currency),
        tax_text=money_text(priced.tax_cents, currency),
        total_text=money_text(priced.total_cents, currency),
        paid_text=money_text(paid, currency),
        balance_due_text=money_text(due, currency),
        change_text=money_text(change, currency),
        is_empty=cart.is_empty,
        is_paid=cart.is_paid,
        cart_discount_cents=priced.cart_discount_cents,
    )
