"""Till PINs: argon2id PHC strings the offline till verifies with argon2-cffi.

The parameters are part of the till contract: ``PasswordHasher(time_cost=2, memory_cost=19456,
parallelism=1)`` (OWASP's argon2id minimum), so a modest till verifies a PIN in tens of ms.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def pin_is_valid(pin: str) -> bool:
    return bool(PIN_PATTERN.match(pin))


def pin_hash(pin: str) -> str:
    return _hasher.hash(pin)


def pin_verify(pin_hash_value: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash_value, pin)
    except (VerificationError, InvalidHashError):
        return False
