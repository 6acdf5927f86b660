"""python-escpos's private barcode call still exists and still writes the GS k command the
receipts rely on (fails here first when an upgrade changes it)."""

from __future__ import annotations

import inspect

from escpos.printer import Dummy

from asiria_desktop.hardware.escpos_internals import print_code128


def test_the_private_barcode_call_takes_the_arguments_we_pass() -> None:
    parameters = inspect.signature(Dummy()._hw_barcode).parameters
    assert {"code", "bc", "height", "width", "pos", "align_ct", "function_type"} <= set(parameters)


def test_code128_is_sent_as_height_width_text_position_then_gs_k_function_b() -> None:
    printer = Dummy()

    print_code128(printer, "S01-T01-000001", height=60, module_width=2)

    data = b"{BS01-T01-000001"
    assert printer.output == (
        b"\x1dh\x3c"  # GS h: 60 dots high
        b"\x1dw\x02"  # GS w: modules 2 dots wide
        b"\x1df\x00"  # GS f: text in font A
        b"\x1dH\x02"  # GS H: text below the bars
        b"\x1dkI" + bytes([len(data)]) + data  # GS k 73 (CODE128), length, code set B + data
    )
