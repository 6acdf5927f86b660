"""Words that depend on a number: the one plural rule every message uses."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``plural(1, "event")`` -> "1 event", ``plural(3, "event")`` -> "3 events";
    ``plural(2, "entry", "entries")`` for a word that does not just take an "s"."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"
