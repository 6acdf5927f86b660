"""Biometric sign-in rules that hold whatever the reader: the kinds, the errors, the counter.

A biometric check is only a faster way to say who someone is: the PIN stays, and every
sign-in or approval by touch is on the audit log like one by PIN.
"""

from __future__ import annotations

from enum import StrEnum

from .errors import DomainError


class BiometricKind(StrEnum):
    FINGERPRINT = "fingerprint"  # fprintd on Linux
    WINDOWS_HELLO = "windows_hello"
    SECURITY_KEY = "security_key"  # a FIDO2 key with its own fingerprint reader


KIND_LABELS = {
    BiometricKind.FINGERPRINT: "fingerprint",
    BiometricKind.WINDOWS_HELLO: "Windows Hello",
    BiometricKind.SECURITY_KEY: "security key",
}


class BiometricError(DomainError):
    """A touch that did not sign anyone in; the message says what to do next."""


class BiometricUnavailable(BiometricError):
    """No reader, or the reader's service is not running: use the PIN."""


class BiometricNotRecognised(BiometricError):
    """The reader answered, but not with a finger or key enrolled at this till."""


class BiometricCancelled(BiometricError):
    """The person cancelled, or nobody touched the reader in time."""


class BiometricAlreadyEnrolled(BiometricError):
    """The key (or finger) already belongs to someone at this till."""


class ClonedAuthenticator(BiometricError):
    """A security key's signature counter went backwards: a copy of the key may exist."""


def sign_count_is_fresh(stored: int, received: int) -> bool:
    """True when a security key's signature counter moved on since the last sign-in.

    A key that keeps no counter reports 0 every time (allowed, WebAuthn 6.1.1); any key that
    counts must report more than the till saw last, or two copies of the key are in use.
    """
    if stored == 0 and received == 0:
        return True
    return received > stored
