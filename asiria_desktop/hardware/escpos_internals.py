"""Every use of python-escpos's private API, in one place.

python-escpos's public ``barcode()`` prints a note to stdout and checks the code against its
own tables before the printer draws it; ``_hw_barcode`` sends the GS k command straight away.
It is private: ``tests/desktop/hardware/test_escpos_internals.py`` checks its name, its
arguments and the bytes it writes, so a python-escpos upgrade that changes it fails there.
"""

from __future__ import annotations

from typing import Any


def print_code128(printer: Any, data: str, *, height: int, module_width: int) -> None:
    """The printer draws ``data`` as a CODE128 barcode (code set B: upper- and lower-case
    letters, digits, dashes) with the human-readable text below it."""
    printer._hw_barcode(
        "{B" + data,
        "CODE128",
        height=height,
        width=module_width,
        pos="BELOW",
        align_ct=False,
        function_type="B",
    )
