"""The shape of what the domain writes as JSON: event payloads, parked carts, stored records.

Nested values are read-only views (``Sequence``, ``Mapping``) so that a list of line payloads
is a JSON value as it is; the top level is a ``dict`` the writer may still add keys to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

JsonValue: TypeAlias = (
    "str | int | float | bool | Sequence[JsonValue] | Mapping[str, JsonValue] | None"
)
JsonObject: TypeAlias = dict[str, JsonValue]
