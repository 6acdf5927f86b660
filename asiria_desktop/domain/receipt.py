"""Receipts as a printer-neutral document, and their plain-text rendering.

The printer port speaks POS verbs (``print_receipt(doc)``); the ESC/POS adapter and the simulated
printer turn a ``ReceiptDocument`` into bytes or text. ``render_text`` is the shared plain-text
form: 42 columns for 80 mm paper, 32 for 58 mm.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from datetime import datetime

from .cart import PAYMENT_LABELS
from .money import Currency, format_amount, format_money, format_weight
from .sale import CompletedSale
from .shift import ShiftReport
from .tax import ETIMS_BANDS, TAX_CLASS_LABELS, TaxClass

#: One letter per tax class, printed beside each item and in the tax summary: KRA's eTIMS band.
TAX_CODES = ETIMS_BANDS


@dataclass(frozen=True, slots=True)
class StoreInfo:
    name: str
    address: str = ""
    tax_pin: str = ""
    phone: str = ""
    footer: str = "Thank you for shopping with us!"
    #: A line above and below every document, e.g. a training till's "TRAINING - NOT A SALE":
    #: a practice receipt handed over by mistake must never pass for a real one.
    mark: str = ""

    @property
    def footer_lines(self) -> tuple[str, ...]:
        lines = tuple(self.footer.splitlines())
        return (*lines, self.mark) if self.mark else lines


@dataclass(frozen=True, slots=True)
class ReceiptItem:
    name: str
    detail: str | None  # "2 x 80.00" / "1.250 kg x 120.00/kg"; None for a single piece
    amount_cents: int  # before discounts
    discount_cents: int
    discount_label: str
    tax_code: str


@dataclass(frozen=True, slots=True)
class ReceiptTaxRow:
    label: str  # "B VAT 16%"
    taxable_cents: int
    tax_cents: int
    short_label: str = ""  # "B 16%", for narrow paper


@dataclass(frozen=True, slots=True)
class ReceiptPayment:
    label: str  # "Cash", "M-Pesa SKO3ZQ8H2J"
    amount_cents: int


@dataclass(frozen=True, slots=True)
class ReceiptDocument:
    title: str  # "SALE", "SALE - COPY", "REFUND"
    header_lines: tuple[str, ...]
    receipt_no: str
    printed_for: datetime
    cashier_name: str
    items: tuple[ReceiptItem, ...]
    subtotal_cents: int
    discount_cents: int
    total_cents: int
    tax_rows: tuple[ReceiptTaxRow, ...]
    payments: tuple[ReceiptPayment, ...]
    change_cents: int
    footer_lines: tuple[str, ...]
    currency: Currency
    rounding_cents: int = 0
    note: str = ""  # e.g. "Of receipt S01-T02-000017"
    number_label: str = "Receipt"  # what ``receipt_no`` numbers: "Receipt", "Refund"
    approved_by: str = ""  # the manager who approved a refund or a void, by name


COPY_MARK = " - COPY"
#: Above and below every document of a training till (the first-run wizard's practice mode).
TRAINING_RECEIPT_MARK = "*** TRAINING - NOT A SALE ***"


def as_copy(doc: ReceiptDocument) -> ReceiptDocument:
    """The same document marked as a copy: a reprint differs from the original by the mark only."""
    if doc.title.endswith(COPY_MARK):
        return doc
    return replace(doc, title=doc.title + COPY_MARK)


def store_header(store: StoreInfo) -> tuple[str, ...]:
    lines = [store.mark, store.name, store.address] if store.mark else [store.name, store.address]
    if store.phone:
        lines.append(f"Tel {store.phone}")
    if store.tax_pin:
        lines.append(f"PIN {store.tax_pin}")
    return tuple(line for line in lines if line)


def quantity_detail(
    qty: int | None, qty_milli: int | None, unit_price: int, cur: Currency
) -> str | None:
    if qty_milli is not None:
        return f"{format_weight(qty_milli)} kg x {format_amount(unit_price, cur)}/kg"
    if qty is not None and qty != 1:
        return f"{qty} x {format_amount(unit_price, cur)}"
    return None


def receipt_from_sale(
    sale: CompletedSale, store: StoreInfo, *, copy: bool = False
) -> ReceiptDocument:
    cur = sale.currency
    items = tuple(
        ReceiptItem(
            name=line.name,
            detail=quantity_detail(line.qty, line.qty_milli, line.unit_price_cents, cur),
            amount_cents=line.gross_cents or line.total_cents + line.discount_cents,
            discount_cents=line.discount_cents,
            discount_label="Discount",
            tax_code=TAX_CODES[line.tax_class],
        )
        for line in sale.lines
    )
    tax_rows = tuple(
        tax_row(t.tax_class, t.rate_bp, t.taxable_cents, t.tax_cents) for t in sale.tax_summary
    )
    payments = tuple(
        ReceiptPayment(
            f"{PAYMENT_LABELS[p.method]} {p.reference}"
            if p.reference
            else PAYMENT_LABELS[p.method],
            p.amount_cents,
        )
        for p in sale.payments
    )
    return ReceiptDocument(
        title="SALE" + (COPY_MARK if copy else ""),
        header_lines=store_header(store),
        receipt_no=sale.receipt_no,
        printed_for=sale.completed_at,
        cashier_name=sale.cashier_name,
        items=items,
        subtotal_cents=sale.subtotal_cents,
        discount_cents=sale.discount_cents,
        total_cents=sale.total_cents,
        tax_rows=tax_rows,
        payments=payments,
        change_cents=sale.change_cents,
        footer_lines=store.footer_lines,
        currency=cur,
        rounding_cents=sale.rounding_cents,
    )


def tax_row(tax_class: TaxClass, rate_bp: int, taxable: int, tax: int) -> ReceiptTaxRow:
    code, name = TAX_CODES[tax_class], TAX_CLASS_LABELS[tax_class]
    if tax_class is TaxClass.EXEMPT:
        return ReceiptTaxRow(f"{code} {name}", taxable, tax, f"{code} {name}")
    return ReceiptTaxRow(
        f"{code} {name} {_rate(rate_bp)}", taxable, tax, f"{code} {_rate(rate_bp)}"
    )


def _rate(rate_bp: int) -> str:
    whole, fraction = divmod(rate_bp, 100)
    return f"{whole}%" if not fraction else f"{whole}.{fraction:02d}".rstrip("0") + "%"


def _pair(left: str, right: str, width: int) -> str:
    """``left`` and ``right`` on one line; a long ``left`` is cut so ``right`` always shows."""
    room = width - len(right) - 1
    if len(left) > room:
        left = left[: max(room - 1, 0)] + "~"
    return left + " " * (width - len(left) - len(right)) + right


def render_text(doc: ReceiptDocument, width: int = 42) -> str:
    if width < 24:
        raise ValueError("receipts need at least 24 columns")
    cur = doc.currency
    rule = "-" * width
    out: list[str] = [line.center(width).rstrip() for line in doc.header_lines]
    out.append(rule)
    out.append(doc.title.center(width).rstrip())
    out.append(_pair(doc.number_label, doc.receipt_no, width))
    when, cashier = doc.printed_for.strftime("%Y-%m-%d %H:%M"), f"Cashier: {doc.cashier_name}"
    if len(when) + len(cashier) < width:
        out.append(_pair(when, cashier, width))
    else:
        out += [when, cashier[:width]]
    if doc.approved_by:
        out.append(f"Approved by: {doc.approved_by}"[:width])
    if doc.note:
        out.extend(textwrap.wrap(doc.note, width))
    out.append(rule)
    for item in doc.items:
        out.append(
            _pair(item.name, f"{format_amount(item.amount_cents, cur)} {item.tax_code}", width)
        )
        if item.detail:
            out.append(f"  {item.detail}"[:width])
        if item.discount_cents:
            out.append(
                _pair(
                    f"  {item.discount_label}",
                    f"-{format_amount(item.discount_cents, cur)}  ",
                    width,
                )
            )
    out.append(rule)
    if doc.discount_cents or doc.subtotal_cents != doc.total_cents:  # discounts, or tax on top
        out.append(_pair("Subtotal", format_amount(doc.subtotal_cents, cur), width))
        if doc.discount_cents:
            out.append(_pair("Discount", f"-{format_amount(doc.discount_cents, cur)}", width))
    out.append(_pair("TOTAL", format_money(doc.total_cents, cur), width))
    if doc.rounding_cents:
        out.append(_pair("Cash rounding", format_amount(doc.rounding_cents, cur), width))
    out.append(rule)
    if doc.tax_rows:
        out.append(_pair("Tax", "Taxable       Tax", width))
        for row in doc.tax_rows:
            figures = (
                f"{format_amount(row.taxable_cents, cur):>9} {format_amount(row.tax_cents, cur):>9}"
            )
            fits = len(row.label) + len(figures) < width
            out.append(
                _pair(row.label if fits or not row.short_label else row.short_label, figures, width)
            )
        out.append(rule)
    for payment in doc.payments:
        out.append(_pair(payment.label, format_amount(payment.amount_cents, cur), width))
    if doc.change_cents:
        out.append(_pair("Change", format_amount(doc.change_cents, cur), width))
    out.append(rule)
    for line in doc.footer_lines:
        out.extend(part.center(width).rstrip() for part in textwrap.wrap(line, width) or [""])
    return "\n".join(line.rstrip() for line in out) + "\n"


def render_shift_report(report: ShiftReport, store: StoreInfo, width: int = 42) -> str:
    """The X or Z report as printed at the till."""

    def money(cents: int) -> str:
        return format_amount(cents)

    rule = "-" * width
    out = [line.center(width).rstrip() for line in store_header(store)]
    out += [rule, f"{report.kind} REPORT".center(width).rstrip()]
    out.append(_pair("Shift opened", report.opened_at.strftime("%Y-%m-%d %H:%M"), width))
    if report.generated_at is not None:
        out.append(_pair("Printed", report.generated_at.strftime("%Y-%m-%d %H:%M"), width))
    out.append(rule)
    rows = [
        ("Sales", str(report.sales_count)),
        ("Gross sales", money(report.gross_cents)),
        ("Discounts", money(report.discount_cents)),
        ("Net sales", money(report.net_sales_cents)),
        ("Tax", money(report.tax_cents)),
    ]
    rows += [(f"  {PAYMENT_LABELS[m]}", money(c)) for m, c in report.payments_by_method.items()]
    rows.append((f"Refunds ({report.refunds_count})", money(report.refunds_total_cents)))
    rows += [(f"  {PAYMENT_LABELS[m]}", money(c)) for m, c in report.refunds_by_method.items() if c]
    rows += [
        (f"Voided sales ({report.voids_count})", money(report.voids_total_cents)),
        ("Opening float", money(report.opening_float_cents)),
        ("Cash in", money(report.cash_in_cents)),
        ("Cash out", money(report.cash_out_cents)),
        ("Expected cash", money(report.expected_cash_cents)),
    ]
    if report.counted_cash_cents is not None and report.difference_cents is not None:
        rows.append(("Counted cash", money(report.counted_cash_cents)))
        label = (
            "Over"
            if report.difference_cents > 0
            else "Short"
            if report.difference_cents
            else "Difference"
        )
        rows.append((label, money(abs(report.difference_cents))))
    out += [_pair(left, right, width) for left, right in rows]
    out.append(rule)
    return "\n".join(out) + "\n"
