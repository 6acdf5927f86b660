"""The receipt as ESC/POS bytes (python-escpos Dummy backend): what lands on paper, exactly."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

import pytest
from PIL import Image

from asiria_desktop.domain.cart import Cart, PaymentMethod, ProductRef
from asiria_desktop.domain.receipt import ReceiptDocument, StoreInfo, receipt_from_sale
from asiria_desktop.domain.sale import CashierRef, complete_sale
from asiria_desktop.domain.tax import TaxClass
from asiria_desktop.hardware.escpos_receipt import (
    ReceiptLayout,
    drawer_pulse,
    receipt_bytes,
    text_bytes,
)
from asiria_desktop.hardware.escpos_text import code_page_command, encode_text
from asiria_desktop.hardware.settings import PrinterSettings

from .support import NAIROBI, sample_doc

ESC, GS = b"\x1b", b"\x1d"
ALIGN_LEFT, ALIGN_CENTER = ESC + b"a\x00", ESC + b"a\x01"
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"
DOUBLE_HEIGHT = ESC + b"!\x10"
PARTIAL_CUT, FULL_CUT = GS + b"V\x01", GS + b"V\x00"


def text_lines(data: bytes, code_page: str = "cp858") -> list[str]:
    """The printed lines, with every ESC/GS command taken out."""
    cleaned = re.sub(rb"\x1b[!Ea]\S|\x1b@|\x1bt.|\x1bd.", b"", data.split(GS + b"(k")[0])
    return cleaned.decode(code_page).split("\n")


def test_a_receipt_starts_by_resetting_the_printer_and_choosing_the_code_page(doc):
    data = receipt_bytes(doc, ReceiptLayout())
    assert data.startswith(b"\x1b@" + b"\x1bt\x13")  # ESC @, then ESC t 19 = CP858


def test_the_shop_name_is_centred_bold_and_tall_then_back_to_normal(doc):
    data = receipt_bytes(doc, ReceiptLayout())
    name = data.index(b"Mama Njeri Caf\x82\n")  # e-acute is 0x82 in CP858
    before = data[:name]
    assert before.rfind(ALIGN_CENTER) > before.rfind(ALIGN_LEFT)
    assert before.endswith(DOUBLE_HEIGHT + BOLD_ON)
    after = data[name:]
    assert after.index(BOLD_OFF) < after.index(b"Moi Avenue, Nairobi\n")
    assert b"PIN P051234567X\n" in data  # the tax PIN in the header


def test_item_lines_have_name_quantity_price_and_tax_code_in_42_columns(doc):
    data = receipt_bytes(doc, ReceiptLayout(width=42))
    line = encode_text("Crème brûlée".ljust(34) + "500.00 A", "CP858") + b"\n"
    assert line in data
    assert b"  2 x 250.00\n" in data
    assert b"  Discount" + b" " * 24 + b"-50.00  \n" in data
    assert b"Maziwa ya Ng'ombe 500ml" in data  # the curly apostrophe, transliterated


def test_total_is_bold_and_tall_change_bold_and_tax_summary_present(doc):
    data = receipt_bytes(doc, ReceiptLayout(width=42))
    total = b"TOTAL" + b" " * 27 + b"KES 515.00\n"
    assert DOUBLE_HEIGHT + BOLD_ON + total in data
    assert BOLD_ON + b"Change" + b" " * 30 + b"485.00\n" + BOLD_OFF in data
    assert b"A VAT 16%" + b" " * 17 + b"387.93     62.07\n" in data
    assert b"Cash" + b" " * 30 + b"1,000.00\n" in data
    assert b"Cashier: Wanjiru" in data
    assert b"Asante sana! Karibu tena.\n" in data


@pytest.mark.parametrize("width", [32, 42, 48])
def test_no_line_is_wider_than_the_paper(doc, width):
    long_name = replace(doc.items[0], name="Kiwi ya Kenya ya kijani kibichi sana, sanduku kubwa")
    wide = replace(doc, items=(long_name, *doc.items[1:]))
    lines = text_lines(receipt_bytes(wide, ReceiptLayout(width=width, receipt_code="none")))
    assert max(len(line) for line in lines) == width
    assert any(line.startswith("TOTAL") and line.endswith("KES 515.00") for line in lines)


def test_paper_size_gives_the_column_count():
    assert PrinterSettings(paper_mm=58).width == 32
    assert PrinterSettings(paper_mm=80).width == 42
    assert PrinterSettings(paper_mm=80, columns=48).width == 48
    assert ReceiptLayout.from_settings(PrinterSettings(paper_mm=58)).dots == 384


def test_receipt_number_as_a_native_qr_code(doc):
    data = receipt_bytes(doc, ReceiptLayout(receipt_code="qr"))
    number = b"S01-T01-000017"
    store = GS + b"(k" + bytes([len(number) + 3, 0]) + b"1P0" + number  # store the data
    assert store in data
    assert data.index(GS + b"(k\x04\x001A2\x00") < data.index(store)  # model 2
    assert GS + b"(k\x03\x001C\x06" in data  # module size 6 on 80 mm
    assert data.index(GS + b"(k\x03\x001Q0") > data.index(store)  # then print it
    assert ALIGN_CENTER in data[data.rindex(b"Asante") - 10 : data.index(store)]


def test_receipt_number_as_code128_fits_58mm_paper(doc):
    data = receipt_bytes(doc, ReceiptLayout(width=32, receipt_code="code128"))
    code = b"{BS01-T01-000017"
    assert GS + b"kI" + bytes([len(code)]) + code in data  # GS k 73 n: CODE128, set B
    assert GS + b"w\x02" in data  # 2-dot bars: 189 modules x 2 = 378 dots <= 384
    assert GS + b"h<" in data  # 60 dots tall
    assert GS + b"(k" not in data


def test_no_code_when_switched_off(doc):
    data = receipt_bytes(doc, ReceiptLayout(receipt_code="none"))
    assert GS + b"(k" not in data and GS + b"k" not in data


@pytest.mark.parametrize(
    ("cut", "ending"),
    [
        ("partial", ESC + b"d\x06" + PARTIAL_CUT),
        ("full", ESC + b"d\x06" + FULL_CUT),
        ("none", ESC + b"d\x06"),
    ],
)
def test_the_paper_is_fed_past_the_cutter_then_cut(doc, cut, ending):
    data = receipt_bytes(doc, ReceiptLayout(cut=cut, receipt_code="none"))
    assert data.endswith(ALIGN_LEFT + ending)


def test_drawer_pulse_bytes():
    assert drawer_pulse() == ESC + b"p\x00\x32\x32"  # pin 2, 100 ms on, 100 ms off
    assert drawer_pulse(pin=5, on_ms=200, off_ms=50) == ESC + b"p\x01\x64\x19"
    assert drawer_pulse(on_ms=2000) == ESC + b"p\x00\xff\x32"  # capped at 510 ms
    with pytest.raises(ValueError, match="pin is 2 or 5"):
        drawer_pulse(pin=3)


def test_code_pages_and_transliteration():
    assert encode_text("Crème brûlée", "CP858") == b"Cr\x8ame br\x96l\x82e"
    assert encode_text("Café €5", "CP858") == b"Caf\x82 \xd55"
    assert encode_text("Café €5", "CP437") == b"Caf\x82 ?5"  # no euro sign in CP437
    assert encode_text("Crème", "CP1252") == b"Cr\xe8me"
    assert encode_text("Ŵ Ĝ \u2013 \u201cok\u201d", "CP858") == b'W G - "ok"'
    assert code_page_command("cp437") == b"\x1bt\x00"
    with pytest.raises(ValueError, match="Unknown printer code page"):
        ReceiptLayout(code_page="UTF-8")


def test_the_same_receipt_in_another_code_page(doc):
    data = receipt_bytes(doc, ReceiptLayout(code_page="CP1252"))
    assert data.startswith(b"\x1b@\x1bt\x10")
    assert b"Cr\xe8me br\xfbl\xe9e" in data


def test_a_logo_prints_as_a_raster_image_scaled_to_the_paper(doc, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("L", (800, 100), 0).save(logo)
    data = receipt_bytes(doc, ReceiptLayout(width=32, logo_path=str(logo)))
    raster = data.index(GS + b"v0")  # GS v 0: raster bit image
    assert raster < data.index(b"Mama Njeri")
    width_bytes = data[raster + 4] + 256 * data[raster + 5]
    assert width_bytes == 384 // 8  # scaled down to 58 mm paper


def test_a_missing_logo_never_stops_the_receipt(doc, tmp_path):
    data = receipt_bytes(doc, ReceiptLayout(logo_path=str(tmp_path / "gone.png")))
    assert GS + b"v0" not in data
    assert b"KES 515.00" in data


def test_a_plain_text_slip_prints_and_cuts():
    data = text_bytes("X REPORT\nSales          3\n", ReceiptLayout(code_page="CP858"))
    assert data == (
        b"\x1b@\x1bt\x13" + b"X REPORT\nSales          3\n" + ESC + b"d\x06" + PARTIAL_CUT
    )


def test_a_receipt_made_from_a_real_sale():
    counter = iter(range(1, 100))
    cart = Cart(lambda: f"id-{next(counter)}")
    chapati = ProductRef("p1", "Chapati", "6161002500401", 2000, TaxClass.STANDARD)
    cart.add_product(chapati, qty=3)
    cart.add_payment(PaymentMethod.MPESA, 6000, "SKO3ZQ8H2J")
    sale = complete_sale(
        cart,
        "sale-1",
        "S01-T02-000123",
        CashierRef("u1", "Otieno"),
        None,
        datetime(2026, 11, 24, 12, 30, tzinfo=NAIROBI),
    )
    store = StoreInfo("Duka la Mama", "Kisumu", tax_pin="P000111222Z")
    document: ReceiptDocument = receipt_from_sale(sale, store)
    data = receipt_bytes(document, ReceiptLayout(width=32))
    lines = text_lines(data)
    assert "Duka la Mama" in lines and "PIN P000111222Z" in lines
    assert "Chapati" + " " * 18 + "60.00 B" in lines  # B: the eTIMS band of VAT 16 %
    assert "  3 x 20.00" in lines
    assert any(line.startswith("M-Pesa SKO3ZQ8H2J") for line in lines)
    assert b"1P0S01-T02-000123" in data


def test_a_copy_says_so():
    data = receipt_bytes(sample_doc(title="SALE - COPY"), ReceiptLayout())
    assert BOLD_ON + ALIGN_CENTER + b"SALE - COPY\n" in data
