"""The refund and void slips: documents of their own, with their number, the original receipt,
the amounts and who approved them."""

from __future__ import annotations

from .cart import PAYMENT_LABELS, PaymentMethod
from .money import format_amount
from .receipt import (
    TAX_CODES,
    ReceiptDocument,
    ReceiptItem,
    ReceiptPayment,
    ReceiptTaxRow,
    StoreInfo,
    quantity_detail,
    receipt_from_sale,
    store_header,
)
from .refund import Refund
from .sale import CompletedSale
from .voids import SaleVoid


def receipt_from_refund(
    refund: Refund,
    sale: CompletedSale,
    store: StoreInfo,
    *,
    cashier_name: str,
    approver_name: str = "",
) -> ReceiptDocument:
    """The refund slip: "REFUND", its own number, the original receipt, each line with the
    quantity, unit price and money given back, the total and how it went back."""
    cur = sale.currency
    items = []
    for line in refund.lines:
        sold = sale.line(line.sale_line_id)
        items.append(
            ReceiptItem(
                name=line.name,
                detail=quantity_detail(line.qty, line.qty_milli, sold.unit_price_cents, cur)
                or f"1 x {format_amount(sold.unit_price_cents, cur)}",
                amount_cents=line.total_cents,
                discount_cents=0,
                discount_label="",
                tax_code=TAX_CODES[sold.tax_class],
            )
        )
    return ReceiptDocument(
        title="REFUND",
        header_lines=store_header(store),
        receipt_no=refund.refund_no or refund.receipt_no,
        number_label="Refund" if refund.refund_no else "Receipt",
        printed_for=refund.created_at,
        cashier_name=cashier_name,
        approved_by=approver_name,
        items=tuple(items),
        subtotal_cents=refund.total_cents,
        discount_cents=0,
        total_cents=refund.total_cents,
        tax_rows=(
            ReceiptTaxRow("Tax refunded", refund.total_cents - refund.tax_cents, refund.tax_cents),
        ),
        payments=(
            ReceiptPayment(f"Refunded by {PAYMENT_LABELS[refund.method]}", refund.total_cents),
        ),
        change_cents=0,
        footer_lines=store.footer_lines,
        currency=cur,
        note=_note(f"Of receipt {refund.receipt_no}", refund.reason),
    )


def receipt_from_void(
    void: SaleVoid,
    sale: CompletedSale,
    store: StoreInfo,
    *,
    cashier_name: str,
    approver_name: str = "",
) -> ReceiptDocument:
    """The void slip: "VOID" of receipt X, its items and total, the money given back by each
    method, the reason and who approved it."""
    original = receipt_from_sale(sale, store)
    given_back = tuple(
        ReceiptPayment(f"Given back by {PAYMENT_LABELS[method]}", sale.paid_by(method))
        for method in PaymentMethod
        if sale.paid_by(method) > 0
    )
    return ReceiptDocument(
        title="VOID",
        header_lines=original.header_lines,
        receipt_no=sale.receipt_no,
        number_label="Receipt",
        printed_for=void.voided_at,
        cashier_name=cashier_name,
        approved_by=approver_name,
        items=original.items,
        subtotal_cents=original.subtotal_cents,
        discount_cents=original.discount_cents,
        total_cents=original.total_cents,
        tax_rows=original.tax_rows,
        payments=given_back,
        change_cents=0,
        footer_lines=(),
        currency=sale.currency,
        rounding_cents=original.rounding_cents,
        note=_note("This sale is void.", void.reason),
    )


def _note(first: str, reason: str) -> str:
    return f"{first} Reason: {reason}" if reason else first
