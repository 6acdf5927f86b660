"""Barcode rules: GS1 check digits for EAN-8, UPC-A and EAN-13; other symbologies pass through.
SKUs / PLUs follow the same character rules, without a check digit.

Code 128 and shop-internal SKUs are legitimate barcodes too, so only numeric codes of a GS1
length are held to a check digit; anything else needs to be printable ASCII without spaces.
"""

from __future__ import annotations

import re

GS1_LENGTHS = frozenset({8, 12, 13})
MAX_LENGTH = 64
_PRINTABLE = re.compile(r"^[\x21-\x7e]+$")


def gs1_check_digit(body: str) -> int:
    """Check digit for the digits before it: weights 3,1,3,... from the right."""
    total = sum(
        int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body))
    )
    return (10 - total % 10) % 10


def barcode_problem(code: str) -> str | None:
    """Why a barcode is unacceptable, or None when it is fine."""
    if not code:
        return "A barcode cannot be empty."
    if len(code) > MAX_LENGTH:
        return f"A barcode is at most {MAX_LENGTH} characters."
    if not _PRINTABLE.match(code):
        return "A barcode may only hold printable ASCII characters, without spaces."
    if code.isdigit() and len(code) in GS1_LENGTHS and gs1_check_digit(code[:-1]) != int(code[-1]):
        return f"The check digit of {code} is wrong; expected {gs1_check_digit(code[:-1])}."
    return None


def sku_problem(code: str) -> str | None:
    """Why a SKU / PLU is unacceptable, or None. No check digit: it is the shop's own code."""
    if not code:
        return "A SKU cannot be empty."
    if len(code) > MAX_LENGTH:
        return f"A SKU is at most {MAX_LENGTH} characters."
    if not _PRINTABLE.match(code):
        return "A SKU may only hold printable ASCII characters, without spaces."
    return None
