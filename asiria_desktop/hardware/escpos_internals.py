"""Every use of python-escpos's private API, in one place.

python-escpos's public ``barcode()`` prints a note to stdout and checks the code against its
own tables before the printer draws it; ``_hw_barcode`` sends the GS k command straight away.
It is private: ``tests/desktop/hardware/test_escpos_internals.py`` checks its name, its
arguments and the bytes it writes, so a python-escpos upgrade that changes it fails there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PIL.Image import Image

# python-escpos ships no types: these are the parts of its printer objects the till calls.
Style = str | int | bool  # ``set()``'s keywords: align="center", bold=True, width=2...


class EscposDevice(Protocol):
    """An opened printer (``escpos.printer.Network``, ``Usb``, ``Serial`` or ``File``)."""

    def _raw(self, data: bytes, /) -> None: ...

    def _read(self) -> bytes: ...

    def close(self) -> None: ...


class EscposCanvas(Protocol):
    """``escpos.printer.Dummy``: a receipt drawn into memory (``output``), sent as one job."""

    @property
    def output(self) -> bytes: ...

    def _raw(self, data: bytes, /) -> None: ...

    def _hw_barcode(
        self,
        code: str,
        bc: str,
        *,
        height: int,
        width: int,
        pos: str,
        align_ct: bool,
        function_type: str,
    ) -> None: ...

    def set(self, **style: Style) -> None: ...

    def image(self, img_source: Image, *, center: bool) -> None: ...

    def qr(self, content: str, *, native: bool, size: int, center: bool) -> None: ...

    def print_and_feed(self, n: int = 1) -> None: ...

    def cut(self, mode: str = "FULL") -> None: ...


def print_code128(printer: EscposCanvas, data: str, *, height: int, module_width: int) -> None:
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
