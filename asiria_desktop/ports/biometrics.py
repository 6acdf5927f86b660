"""The biometric reader port: enrol a person's finger or key, and check a touch.

Adapters: fprintd over D-Bus (Linux), Windows Hello, FIDO2 security keys. Every check happens on
the till itself, with data kept in the till's database or on the device: signing in never needs
the network. The calls block until the person touches the reader (or it times out), so the UI
runs them off the Qt thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class StoredCredential:
    """A finger or key enrolled for one person at this till.

    ``reference``: what the reader knows the person by (the fprintd user name, the Windows Hello
    key name, the FIDO2 credential id in hex). ``public_key``: the COSE public key of a
    signature-based credential (FIDO2, Windows Hello), ``None`` for fprintd.
    """

    id: str
    user_id: str
    kind: str
    reference: str
    public_key: bytes | None
    sign_count: int
    label: str
    created_at: datetime
    last_used_at: datetime | None = None


@dataclass(frozen=True)
class NewCredential:
    """What an adapter hands back from a successful enrolment, for the till to keep."""

    reference: str
    public_key: bytes | None
    sign_count: int
    label: str


@dataclass(frozen=True)
class Verification:
    """A touch that matched ``credential_id``; ``sign_count`` as the key reported it."""

    credential_id: str
    sign_count: int


class BiometricVerifier(Protocol):
    @property
    def kind(self) -> str:
        """A ``BiometricKind`` value."""
        ...

    @property
    def identifies_person(self) -> bool:
        """True when a touch says who it is (a security key); False when the person must be
        picked first and the touch only confirms them (fprintd, Windows Hello)."""
        ...

    def unavailable_reason(self) -> str | None:
        """Why the reader can't be used now (plain language), or None when it can."""
        ...

    def enrol(
        self, user_id: str, user_name: str, existing: Sequence[StoredCredential]
    ) -> NewCredential:
        """Enrol the person touching the reader now. ``existing``: every credential of this
        kind at the till (a key already enrolled for someone is refused). Raises a
        ``BiometricError``."""
        ...

    def verify(self, candidates: Sequence[StoredCredential]) -> Verification:
        """Wait for a touch matching one of ``candidates``; raises a ``BiometricError`` when
        nobody matched. Signatures are checked here; the sign counter by the caller."""
        ...

    def cancel(self) -> None:
        """Stop a waiting ``enrol``/``verify`` (from another thread); it raises Cancelled."""
        ...
