"""Free text a person types (a reason, a supplier, a note) as the cloud stores it: on one
line, without control characters (a scanner's Tab or Escape, a pasted NUL), which the sync
contract refuses in every name and reason."""

from __future__ import annotations

import unicodedata


def one_line(text: str) -> str:
    """Whitespace runs become one space; other control characters are dropped."""
    spaced = " ".join(text.split())
    return "".join(char for char in spaced if unicodedata.category(char) != "Cc")
