"""A printed document as JSON-ready data, so a reprint is the very document that was printed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .json_types import JsonObject
from .money import Currency
from .receipt import ReceiptDocument, ReceiptItem, ReceiptPayment, ReceiptTaxRow
from .times import require_aware


def document_to_record(doc: ReceiptDocument) -> JsonObject:
    require_aware(doc.printed_for, "printed_for")
    return {
        "title": doc.title,
        "header_lines": list(doc.header_lines),
        "receipt_no": doc.receipt_no,
        "number_label": doc.number_label,
        "printed_for": doc.printed_for.isoformat(),
        "cashier_name": doc.cashier_name,
        "approved_by": doc.approved_by,
        "items": [
            [i.name, i.detail, i.amount_cents, i.discount_cents, i.discount_label, i.tax_code]
            for i in doc.items
        ],
        "subtotal_cents": doc.subtotal_cents,
        "discount_cents": doc.discount_cents,
        "total_cents": doc.total_cents,
        "tax_rows": [[r.label, r.taxable_cents, r.tax_cents, r.short_label] for r in doc.tax_rows],
        "payments": [[p.label, p.amount_cents] for p in doc.payments],
        "change_cents": doc.change_cents,
        "footer_lines": list(doc.footer_lines),
        "currency": [doc.currency.code, doc.currency.decimals],
        "rounding_cents": doc.rounding_cents,
        "note": doc.note,
    }


def document_from_record(data: dict[str, Any]) -> ReceiptDocument:
    """Inverse of :func:`document_to_record` (a round trip gives an equal document)."""
    code, decimals = data["currency"]
    return ReceiptDocument(
        title=data["title"],
        header_lines=tuple(data["header_lines"]),
        receipt_no=data["receipt_no"],
        number_label=data["number_label"],
        printed_for=datetime.fromisoformat(data["printed_for"]),
        cashier_name=data["cashier_name"],
        approved_by=data["approved_by"],
        items=tuple(ReceiptItem(*item) for item in data["items"]),
        subtotal_cents=data["subtotal_cents"],
        discount_cents=data["discount_cents"],
        total_cents=data["total_cents"],
        tax_rows=tuple(ReceiptTaxRow(*row) for row in data["tax_rows"]),
        payments=tuple(ReceiptPayment(*payment) for payment in data["payments"]),
        change_cents=data["change_cents"],
        footer_lines=tuple(data["footer_lines"]),
        currency=Currency(code, decimals),
        rounding_cents=data["rounding_cents"],
        note=data["note"],
    )
