"""A ReceiptDocument as ESC/POS bytes, rendered on python-escpos's Dummy printer.

Rendering is pure (document in, bytes out) so the bytes can be checked exactly in tests and sent
to the real printer in one write: a job is either all on the wire or not at all, which is what
lets the print queue retry a whole receipt safely.
"""

from __future__ import annotations

import logging
import textwrap
from dataclasses import dataclass

from asiria_desktop.domain.money import format_amount, format_money
from asiria_desktop.domain.receipt import ReceiptDocument
from asiria_desktop.hardware.escpos_internals import EscposCanvas, Style, print_code128
from asiria_desktop.hardware.escpos_text import code_page_command, encode_text, escpos_printers
from asiria_desktop.hardware.settings import PrinterSettings

log = logging.getLogger(__name__)

INIT = b"\x1b@"
RECEIPT_CODES = ("qr", "code128", "none")
CUTS = ("full", "partial", "none")


@dataclass(frozen=True)
class ReceiptLayout:
    width: int = 42  # characters per line in font A: 32 (58 mm), 42 or 48 (80 mm)
    code_page: str = "CP858"
    receipt_code: str = "qr"
    logo_path: str = ""
    cut: str = "partial"

    def __post_init__(self) -> None:
        if not 24 <= self.width <= 64:
            raise ValueError("A receipt needs 24 to 64 columns")
        if self.receipt_code not in RECEIPT_CODES:
            raise ValueError(f"receipt_code must be one of {RECEIPT_CODES}")
        if self.cut not in CUTS:
            raise ValueError(f"cut must be one of {CUTS}")
        code_page_command(self.code_page)  # raises for an unknown page

    @property
    def dots(self) -> int:
        """Printable width in dots at 203 dpi: 384 on 58 mm paper, 512 or 576 on 80 mm."""
        return 384 if self.width <= 32 else 512 if self.width <= 42 else 576

    @classmethod
    def from_settings(cls, settings: PrinterSettings) -> ReceiptLayout:
        return cls(
            width=settings.width,
            code_page=settings.code_page,
            receipt_code=settings.receipt_code,
            logo_path=settings.logo_path,
            cut=settings.cut,
        )


def pair(left: str, right: str, width: int) -> str:
    """``left`` and ``right`` on one line; a long ``left`` is shortened so ``right`` shows."""
    room = width - len(right) - 1
    if len(left) > room:
        left = left[: max(room - 1, 0)] + "~"
    return left + " " * (width - len(left) - len(right)) + right


class _Writer:
    """A Dummy printer plus the few helpers a receipt needs."""

    def __init__(self, layout: ReceiptLayout) -> None:
        self.layout = layout
        self.p: EscposCanvas = escpos_printers().Dummy()
        self.p._raw(INIT + code_page_command(layout.code_page))

    def line(self, text: str = "") -> None:
        self.p._raw(encode_text(text, self.layout.code_page) + b"\n")

    def style(self, **kwargs: Style) -> None:
        self.p.set(**kwargs)

    def rule(self) -> None:
        self.line("-" * self.layout.width)

    def centered(self, text: str) -> None:
        for part in textwrap.wrap(text, self.layout.width) or [""]:
            self.line(part)

    def output(self) -> bytes:
        return bytes(self.p.output)


def _logo(w: _Writer) -> None:
    if not w.layout.logo_path:
        return
    try:
        from PIL import Image

        with Image.open(w.layout.logo_path) as img:
            logo = img.convert("L")
            if logo.width > w.layout.dots:
                height = max(1, logo.height * w.layout.dots // logo.width)
                logo = logo.resize((w.layout.dots, height))
            w.p.image(logo, center=False)
    except (OSError, ValueError) as exc:  # a missing logo never stops a receipt
        log.warning("receipt logo %s not printed: %s", w.layout.logo_path, exc)


def _receipt_code(w: _Writer, receipt_no: str) -> None:
    if w.layout.receipt_code == "qr":
        w.p.qr(receipt_no, native=True, size=6 if w.layout.width > 32 else 5, center=False)
        w.line()
    elif w.layout.receipt_code == "code128":
        modules = 11 * (len(receipt_no) + 3) + 2  # start, data, check, stop, quiet bars
        module_width = max(1, min(3, w.layout.dots // modules))
        print_code128(w.p, receipt_no, height=60, module_width=module_width)


def _items(w: _Writer, doc: ReceiptDocument) -> None:
    width, cur = w.layout.width, doc.currency
    for item in doc.items:
        w.line(pair(item.name, f"{format_amount(item.amount_cents, cur)} {item.tax_code}", width))
        if item.detail:
            w.line(f"  {item.detail}"[:width])
        if item.discount_cents:
            label, amount = (
                f"  {item.discount_label}",
                f"-{format_amount(item.discount_cents, cur)}",
            )
            w.line(pair(label, amount + "  ", width))


def _totals(w: _Writer, doc: ReceiptDocument) -> None:
    width, cur = w.layout.width, doc.currency
    if doc.discount_cents or doc.subtotal_cents != doc.total_cents:
        w.line(pair("Subtotal", format_amount(doc.subtotal_cents, cur), width))
        if doc.discount_cents:
            w.line(pair("Discount", f"-{format_amount(doc.discount_cents, cur)}", width))
    w.style(bold=True, double_height=True)
    w.line(pair("TOTAL", format_money(doc.total_cents, cur), width))
    w.style(bold=False, normal_textsize=True)
    if doc.rounding_cents:
        w.line(pair("Cash rounding", format_amount(doc.rounding_cents, cur), width))
    w.rule()
    if doc.tax_rows:
        w.line(pair("Tax", "Taxable       Tax", width))
        for row in doc.tax_rows:
            amounts = (
                f"{format_amount(row.taxable_cents, cur):>9} {format_amount(row.tax_cents, cur):>9}"
            )
            fits = len(row.label) + len(amounts) < width
            w.line(
                pair(row.label if fits or not row.short_label else row.short_label, amounts, width)
            )
        w.rule()
    for payment in doc.payments:
        w.line(pair(payment.label, format_amount(payment.amount_cents, cur), width))
    if doc.change_cents:
        w.style(bold=True)
        w.line(pair("Change", format_amount(doc.change_cents, cur), width))
        w.style(bold=False)


def _finish(w: _Writer) -> None:
    if w.layout.cut == "none":
        w.p.print_and_feed(6)
    else:
        w.p.cut(mode="PART" if w.layout.cut == "partial" else "FULL")


def receipt_bytes(doc: ReceiptDocument, layout: ReceiptLayout) -> bytes:
    w = _Writer(layout)
    width = layout.width
    w.style(align="center")
    _logo(w)
    for index, header in enumerate(doc.header_lines):
        if index == 0:  # the shop's name stands out
            w.style(bold=True, double_height=True)
            w.centered(header)
            w.style(bold=False, normal_textsize=True)
        else:
            w.centered(header)
    w.style(align="left")
    w.rule()
    w.style(align="center", bold=True)
    w.line(doc.title)
    w.style(align="left", bold=False)
    w.line(pair(doc.number_label, doc.receipt_no, width))
    when, cashier = doc.printed_for.strftime("%Y-%m-%d %H:%M"), f"Cashier: {doc.cashier_name}"
    if len(when) + len(cashier) < width:
        w.line(pair(when, cashier, width))
    else:
        w.line(when)
        w.line(cashier[:width])
    if doc.approved_by:
        w.line(f"Approved by: {doc.approved_by}"[:width])
    for note_line in textwrap.wrap(doc.note, width):
        w.line(note_line)
    w.rule()
    _items(w, doc)
    w.rule()
    _totals(w, doc)
    w.rule()
    w.style(align="center")
    for footer in doc.footer_lines:
        w.centered(footer)
    if layout.receipt_code != "none":
        w.line()
        _receipt_code(w, doc.receipt_no)
    w.style(align="left")
    _finish(w)
    return w.output()


def text_bytes(text: str, layout: ReceiptLayout) -> bytes:
    """A plain-text slip (X/Z report, a stored receipt text) in the printer's code page."""
    w = _Writer(layout)
    for text_line in text.rstrip("\n").split("\n"):
        w.line(text_line)
    _finish(w)
    return w.output()


def drawer_pulse(pin: int = 2, on_ms: int = 100, off_ms: int = 100) -> bytes:
    """``ESC p m t1 t2``: pulse the drawer kick connector's pin 2 (m=0) or pin 5 (m=1) for
    ``on_ms``, then rest ``off_ms``; the printer counts in 2 ms steps (1..255)."""
    if pin not in (2, 5):
        raise ValueError("The drawer kick pin is 2 or 5")
    t1 = max(1, min(255, on_ms // 2))
    t2 = max(1, min(255, off_ms // 2))
    return b"\x1bp" + bytes([0 if pin == 2 else 1, t1, t2])
