"""Barcodes: GS1 (EAN-13, EAN-8, UPC-A, UPC-E), in-store variable-measure codes, SKUs, Code 128.

``parse_code`` turns whatever the scanner (or the cashier's keyboard) sent into a ``ParsedCode``
whose ``lookup_code`` is the one form the catalog is searched by:

* every GS1 code is normalised to 13 digits (GTIN-13): an EAN-8 gets five leading zeros, a UPC-A
  one, a UPC-E is first expanded to its UPC-A. Leading zeros keep the GS1 check digit valid, so
  the catalog should store barcodes in this same form (``normalise_barcode`` does it).
* a variable-measure code (a price or weight label printed by the shop's scale) is looked up by
  its *base code*: the same 13 digits with the value part set to zeros and the check digit redone
  (``VariableMeasureLayout.base_code``). Store that base code as the weighed product's barcode.
* anything else (internal SKUs, Code 128 free text) is looked up as typed, trimmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from .errors import InvalidBarcode

MAX_CODE_LENGTH = 64  # the sync contract's limit for a barcode


class BarcodeKind(StrEnum):
    EAN13 = "ean13"
    EAN8 = "ean8"
    UPCA = "upca"
    UPCE = "upce"
    VARIABLE_MEASURE = "variable_measure"
    CODE128 = "code128"
    SKU = "sku"


def _require_digits(body: str) -> None:
    if not body or not body.isascii() or not body.isdigit():
        raise InvalidBarcode(f'"{body}" is not a number, so it has no GS1 check digit.')


def gs1_check_digit(body: str) -> int:
    """The GS1 check digit for ``body`` (all digits except the check digit), any GTIN length."""
    _require_digits(body)
    # Weights 3, 1, 3, 1... starting from the rightmost digit of the body.
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gs1(code: str) -> bool:
    """True when ``code`` is all digits, at least two long, and its last digit checks out."""
    if len(code) < 2 or not code.isascii() or not code.isdigit():
        return False
    return gs1_check_digit(code[:-1]) == int(code[-1])


def expand_upce(code8: str) -> str:
    """Expand a UPC-E code (8 digits: number system 0/1, six digits, check) to its 12-digit UPC-A.

    Six digits (number system 0 assumed) or seven (no check digit) are accepted too; an 8-digit code
    whose check digit doesn't match raises ``InvalidBarcode``.
    """
    code = code8.strip()
    _require_digits(code)
    if len(code) == 6:
        code = "0" + code
    if len(code) not in (7, 8) or code[0] not in "01":
        raise InvalidBarcode(f'"{code8}" is not a UPC-E code (8 digits starting with 0 or 1).')
    system, d = code[0], code[1:7]
    last = d[5]
    if last in "012":
        middle = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        middle = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        middle = d[0:4] + "00000" + d[4]
    else:
        middle = d[0:5] + "0000" + last
    body = system + middle
    check = gs1_check_digit(body)
    if len(code) == 8 and int(code[7]) != check:
        raise InvalidBarcode(f"Barcode {code8} didn't scan correctly (check digit). Scan it again.")
    return body + str(check)


@dataclass(frozen=True, slots=True)
class VariableMeasureLayout:
    """How the shop's scale prints labels: ``prefix`` + item code + value + check digit (13 digits).

    ``value_kind`` says whether the value is the price (in cents times ``price_unit_cents``, so
    a scale that prints whole shillings uses 100) or the weight in grams (thousandths of a kg).
    """

    prefixes: tuple[str, ...] = ("20", "21", "22", "23", "24", "25", "26", "27", "28", "29")
    item_digits: int = 5
    value_digits: int = 5
    value_kind: Literal["price", "weight"] = "price"
    price_unit_cents: int = 1

    def __post_init__(self) -> None:
        lengths = {len(p) for p in self.prefixes}
        if len(lengths) != 1 or not all(p.isdigit() for p in self.prefixes):
            raise ValueError("variable-measure prefixes must be digit strings of one length")
        if lengths.pop() + self.item_digits + self.value_digits != 12:
            raise ValueError("prefix + item digits + value digits must be 12 (EAN-13 minus check)")
        if self.value_kind not in ("price", "weight") or self.price_unit_cents < 1:
            raise ValueError("value_kind must be 'price' or 'weight', price_unit_cents >= 1")

    @classmethod
    def default(cls) -> VariableMeasureLayout:
        return cls()

    @property
    def prefix_length(self) -> int:
        return len(self.prefixes[0])

    def matches(self, code: str) -> bool:
        return len(code) == 13 and code.isdigit() and code[: self.prefix_length] in self.prefixes

    def base_code(self, prefix: str, item_code: str) -> str:
        """The barcode to store on a weighed/priced product: its labels with a zero value."""
        if prefix not in self.prefixes or len(item_code) != self.item_digits:
            raise ValueError(f"{prefix!r}+{item_code!r} does not fit this layout")
        body = prefix + item_code + "0" * self.value_digits
        return body + str(gs1_check_digit(body))


@dataclass(frozen=True, slots=True)
class ParsedCode:
    kind: BarcodeKind
    raw: str
    lookup_code: str
    embedded_price_cents: int | None = None
    embedded_qty_milli: int | None = None


_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,31}")
_DEFAULT_LAYOUT = VariableMeasureLayout()


def parse_code(raw: str, layout: VariableMeasureLayout = _DEFAULT_LAYOUT) -> ParsedCode:
    """Classify and normalise a scanned or typed code.

    Never crashes on odd input: anything that can't be a code raises ``InvalidBarcode`` with a
    message for the cashier (the UI then offers a search by name).
    """
    code = raw.strip()  # scanners end with CR/LF/Tab; people add spaces
    if not code:
        raise InvalidBarcode("Nothing was scanned. Scan the barcode again or search by name.")
    if len(code) > MAX_CODE_LENGTH:
        raise InvalidBarcode("That code is too long to be a barcode. Search by name instead.")
    if not code.isprintable():
        raise InvalidBarcode("The scanner sent unreadable characters. Scan the barcode again.")
    if code.isascii() and code.isdigit():
        return _parse_numeric(code, layout)
    kind = BarcodeKind.SKU if _SKU.fullmatch(code) else BarcodeKind.CODE128
    return ParsedCode(kind, code, code)


def _parse_numeric(code: str, layout: VariableMeasureLayout) -> ParsedCode:
    length = len(code)
    if length not in (8, 12, 13):
        return ParsedCode(BarcodeKind.SKU, code, code)  # internal numeric codes, PLUs
    if length == 8 and code[0] in "01":
        # An 8-digit code is UPC-E when its check digit fits the UPC-E rule, else EAN-8.
        try:
            upca = expand_upce(code)
        except InvalidBarcode:
            pass
        else:
            return ParsedCode(BarcodeKind.UPCE, code, "0" + upca)
    if not is_valid_gs1(code):
        raise InvalidBarcode(
            f"Barcode {code} didn't scan correctly (check digit). Scan it again or search by name."
        )
    if length == 8:
        return ParsedCode(BarcodeKind.EAN8, code, code.zfill(13))
    if length == 12:
        return ParsedCode(BarcodeKind.UPCA, code, "0" + code)
    if layout.matches(code):
        return _parse_variable_measure(code, layout)
    return ParsedCode(BarcodeKind.EAN13, code, code)


def _parse_variable_measure(code: str, layout: VariableMeasureLayout) -> ParsedCode:
    prefix = code[: layout.prefix_length]
    item = code[layout.prefix_length : layout.prefix_length + layout.item_digits]
    value = int(code[layout.prefix_length + layout.item_digits : 12])
    if value == 0:
        raise InvalidBarcode(f"The label {code} shows no price or weight. Weigh the item again.")
    base = layout.base_code(prefix, item)
    if layout.value_kind == "price":
        price = value * layout.price_unit_cents
        return ParsedCode(BarcodeKind.VARIABLE_MEASURE, code, base, embedded_price_cents=price)
    return ParsedCode(BarcodeKind.VARIABLE_MEASURE, code, base, embedded_qty_milli=value)


def normalise_barcode(code: str, layout: VariableMeasureLayout = _DEFAULT_LAYOUT) -> str:
    """The form a product's barcode is stored in, so that a scan finds it (see module doc).

    A variable-measure base code (value zero) is accepted here, unlike at the till's scanner;
    any label of the item normalises to that base code too.
    """
    trimmed = code.strip()
    if layout.matches(trimmed) and is_valid_gs1(trimmed):
        prefix = trimmed[: layout.prefix_length]
        return layout.base_code(prefix, trimmed[len(prefix) : len(prefix) + layout.item_digits])
    return parse_code(code, layout).lookup_code
