"""Cashier PINs as slow salted hashes: argon2id PHC strings, the same format the cloud issues."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from asiria_desktop.domain.errors import DomainError

# OWASP's argon2id minimum (19 MiB, 2 passes): slow for a guesser, ~20 ms for the till.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)

MIN_PIN_DIGITS = 4
MAX_PIN_DIGITS = 8


class InvalidPin(DomainError):
    pass


def check_pin_format(pin: str) -> str:
    pin = pin.strip()
    if not (pin.isascii() and pin.isdigit() and MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS):
        raise InvalidPin(f"A PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits.")
    return pin


def hash_pin(pin: str) -> str:
    return _HASHER.hash(check_pin_format(pin))


def verify_pin(pin_hash: str, pin: str) -> bool:
    try:
        return _HASHER.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(pin_hash: str) -> bool:
    try:
        return _HASHER.check_needs_rehash(pin_hash)
    except InvalidHashError:
        return False
