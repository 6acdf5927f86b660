"""Failed sign-ins, counted in Redis, slow password guessing down with exponential backoff.

Three counters, each with its own allowance of free failures before it locks:

- the account from this address (a person mistyping: a few tries, then short waits);
- the account from anywhere (guesses spread over many addresses), which does not apply to an
  address that signed in to the account in the last 30 days, so an attacker hammering the
  owner's account cannot keep the owner out of it;
- the address for any account (one place trying many accounts).

A lock grows 15 s, 30 s, 1 min ... with each failure past the allowance and never exceeds
``MAX_LOCK_SECONDS``; a success clears the account's counters (from this address and from
anywhere), not the address's own. While locked, the answer is the same whatever the password
and whether or not the account exists (no account enumeration, no free guesses).
Accounts are keyed by a digest of the normalised email, so Redis holds no addresses of people.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle

FREE_FAILURES_ACCOUNT_FROM_ADDRESS = 5
FREE_FAILURES_ACCOUNT = 20
FREE_FAILURES_ADDRESS = 30
FIRST_LOCK_SECONDS = 15
MAX_LOCK_SECONDS = 15 * 60
FORGET_FAILURES_SECONDS = 24 * 60 * 60
KNOWN_ADDRESS_SECONDS = 30 * 24 * 60 * 60


@dataclass(frozen=True)
class Attempt:
    account: str  # digest of the normalised email
    address: str

    @property
    def counters(self) -> list[tuple[str, int]]:
        return [
            (f"acct-addr:{self.account}:{self.address}", FREE_FAILURES_ACCOUNT_FROM_ADDRESS),
            (f"acct:{self.account}", FREE_FAILURES_ACCOUNT),
            (f"addr:{self.address}", FREE_FAILURES_ADDRESS),
        ]

    @property
    def known_key(self) -> str:
        return f"login-known:{self.account}:{self.address}"


def client_address(request: Any) -> str:
    """The caller's address as DRF's throttles see it (``NUM_PROXIES`` decides)."""
    if request is None:
        return "-"
    return str(BaseThrottle().get_ident(request))


class SignInLocked(exceptions.Throttled):
    """429 with Retry-After; worded the same whether or not the account exists."""

    message_template = "Too many failed sign-ins for this email; try again in {s} s."


def _account_digest(username: str) -> str:
    normalised = str(username).strip().lower()
    return hashlib.sha256(normalised.encode()).hexdigest()[:32]


def attempt_for(request: Any, username: str) -> Attempt:
    return Attempt(account=_account_digest(username), address=client_address(request))


def password_confirmed(*, email: str, password: str, check: Any, address: str) -> bool:
    """A password asked for again inside a session (to change it, to add a passkey) counts as
    a sign-in: a stolen token must not guess it faster than the sign-in allows.

    ``check`` is the account's own ``check_password``; raises ``SignInLocked`` while locked.
    """
    attempt = Attempt(account=_account_digest(email), address=address)
    wait = seconds_locked(attempt)
    if wait:
        raise SignInLocked(wait=wait)
    if check(password):
        record_success(attempt)
        return True
    record_failure(attempt)
    return False


def seconds_locked(attempt: Attempt) -> int:
    """How long this attempt must wait (0: it may try now)."""
    now = time.time()
    known = cache.get(attempt.known_key) is not None
    keys = [
        f"login-lock:{name}"
        for name, _ in attempt.counters
        if not (known and name.startswith("acct:"))
    ]
    waits = [until - now for until in cache.get_many(keys).values() if until is not None]
    return max((math.ceil(wait) for wait in waits if wait > 0), default=0)


def record_failure(attempt: Attempt) -> None:
    now = time.time()
    for name, free in attempt.counters:
        key = f"login-fail:{name}"
        cache.add(key, 0, timeout=FORGET_FAILURES_SECONDS)
        try:
            failures = cache.incr(key)
        except ValueError:  # Redis unreachable: sign-ins stay possible, unguarded
            continue
        cache.touch(key, FORGET_FAILURES_SECONDS)
        if failures > free:
            doublings = min(failures - free - 1, 10)
            lock = min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2**doublings)
            cache.set(f"login-lock:{name}", now + lock, timeout=lock)


def record_success(attempt: Attempt) -> None:
    names = [name for name, _ in attempt.counters[:2]]
    cache.delete_many([f"login-{kind}:{name}" for name in names for kind in ("fail", "lock")])
    cache.set(attempt.known_key, 1, timeout=KNOWN_ADDRESS_SECONDS)
