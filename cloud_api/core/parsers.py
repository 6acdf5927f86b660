"""JSON bodies the rest of the code can handle: nested at most ``MAX_DEPTH`` levels (a body
nested 100,000 deep would make the decoder, or any later walk of the data, run out of stack),
and without lone surrogates (``"\\ud800"`` decodes to text that cannot be stored as UTF-8).

Both are answered 400 ``malformed_request`` before any view code runs.
"""

from __future__ import annotations

from typing import Any, TypeVar

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Our deepest legitimate body is a push: {events: [{payload: {lines: [{...}]}}]}, 6 levels.
MAX_DEPTH = 32
TOO_DEEP = f"The JSON body is nested more than {MAX_DEPTH} levels deep."
LONE_SURROGATE = (
    "a lone surrogate (an escape from \\ud800 to \\udfff without its pair), which is not a "
    "character; send the text as UTF-8"
)


def too_deep(document: Any) -> bool:
    """Whether containers nest deeper than ``MAX_DEPTH`` (walked without recursion)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        items = value.values() if isinstance(value, dict) else value
        for item in items:
            if isinstance(item, dict | list):
                if depth >= MAX_DEPTH:
                    return True
                stack.append((item, depth + 1))
    return False


def has_lone_surrogate(document: Any) -> bool:
    """Whether any key or string of a decoded document holds a lone surrogate."""
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if not value.isascii() and _unencodable(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _unencodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_Document = TypeVar("_Document")


def checked_depth(document: _Document) -> _Document:
    if isinstance(document, dict | list) and too_deep(document):
        raise ParseError(TOO_DEEP)
    return document


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested too deep or holding lone surrogates."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> dict[str, Any]:
        try:
            document = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if has_lone_surrogate(checked_depth(document)):
            raise ParseError(f"The JSON body holds {LONE_SURROGATE}.")
        return document
