"""Server-side WebAuthn challenges: random, short-lived, bound to a purpose, used once.

A challenge is kept in the cache (Redis) under a hash of its bytes, so the browser's answer
names its own challenge (inside clientDataJSON) and nothing else has to travel with it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from webauthn.helpers import generate_challenge

REGISTER = "register"
LOGIN = "login"


@dataclass(frozen=True)
class Challenge:
    value: bytes
    purpose: str
    user_id: int | None


def _key(value: bytes) -> str:
    return "passkey:challenge:" + hashlib.sha256(value).hexdigest()


def challenge_issue(*, purpose: str, user_id: int | None, seconds: int) -> bytes:
    value = generate_challenge()
    cache.set(_key(value), {"purpose": purpose, "user_id": user_id}, timeout=seconds)
    return value


def challenge_take(*, value: bytes) -> Challenge | None:
    """The challenge, removed so it can never be answered twice; None if unknown or expired.

    Only the caller whose delete removed the key gets it: two requests racing with the
    same answer cannot both pass.
    """
    key = _key(value)
    record = cache.get(key)
    if record is None or not cache.delete(key):
        return None
    return Challenge(value=value, purpose=record["purpose"], user_id=record["user_id"])
