"""Windows Hello: a signing key per person in the Windows Hello key store, unlocked by face,
finger or Hello PIN.

Hello verifies whoever is enrolled in Hello on the *Windows account*, not a particular cashier:
on a till where every cashier shares one Windows account, anyone enrolled in Hello there passes
for anyone. The till therefore makes a key per person (``KeyCredentialManager``), picks the person
on screen first, and checks the key's signature over a fresh challenge with the public key kept
at enrolment (docs/decisions.md). The WinRT calls live in ``WinRtHello``, imported only on
Windows; the checks around them are plain Python and tested anywhere.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from asiria_desktop.domain.biometrics import (
    BiometricCancelled,
    BiometricError,
    BiometricKind,
    BiometricNotRecognised,
    BiometricUnavailable,
)
from asiria_desktop.ports.biometrics import NewCredential, StoredCredential, Verification

# KeyCredentialStatus values (Windows.Security.Credentials)
SUCCESS, UNKNOWN_ERROR, NOT_FOUND, USER_CANCELED, USER_PREFERS_PASSWORD = 0, 1, 2, 3, 4
CREDENTIAL_ALREADY_EXISTS, SECURITY_DEVICE_LOCKED = 5, 6


class HelloPlatform(Protocol):
    def is_supported(self) -> bool: ...

    def create(self, name: str) -> tuple[int, bytes]:
        """Make (or replace) the key ``name``; (status, SubjectPublicKeyInfo DER)."""
        ...

    def sign(self, name: str, data: bytes) -> tuple[int, bytes]:
        """Ask Hello to unlock ``name`` and sign ``data`` (RSA PKCS#1 v1.5, SHA-256)."""
        ...


class WinRtHello:
    """The real Windows Hello, through the pywinrt projection (``winrt-Windows.Security.*``)."""

    def is_supported(self) -> bool:
        from winrt.windows.security.credentials import KeyCredentialManager

        return bool(_run(KeyCredentialManager.is_supported_async()))

    def create(self, name: str) -> tuple[int, bytes]:
        from winrt.windows.security.credentials import (
            KeyCredentialCreationOption,
            KeyCredentialManager,
        )

        result = _run(
            KeyCredentialManager.request_create_async(
                name, KeyCredentialCreationOption.REPLACE_EXISTING
            )
        )
        if int(result.status) != SUCCESS:
            return int(result.status), b""
        return SUCCESS, bytes(result.credential.retrieve_public_key())

    def sign(self, name: str, data: bytes) -> tuple[int, bytes]:
        from winrt.windows.security.credentials import KeyCredentialManager
        from winrt.windows.security.cryptography import CryptographicBuffer

        opened = _run(KeyCredentialManager.open_async(name))
        if int(opened.status) != SUCCESS:
            return int(opened.status), b""
        signed = _run(
            opened.credential.request_sign_async(CryptographicBuffer.create_from_byte_array(data))
        )
        if int(signed.status) != SUCCESS:
            return int(signed.status), b""
        return SUCCESS, bytes(signed.result)


def _run(operation: object) -> Any:
    """Wait for a WinRT async operation; its result is a WinRT object (typed by winrt's own
    stubs on Windows only, so ``Any`` here)."""
    import asyncio

    async def wait() -> Any:
        return await operation  # type: ignore[misc]

    return asyncio.run(wait())


class WindowsHelloVerifier:
    kind = str(BiometricKind.WINDOWS_HELLO)
    identifies_person = False

    def __init__(self, platform: HelloPlatform | None = None) -> None:
        self._platform = platform
        self._cancel = threading.Event()

    def unavailable_reason(self) -> str | None:
        try:
            supported = self._hello().is_supported()
        except BiometricError as exc:
            return exc.message
        except Exception:
            supported = False
        return None if supported else "Windows Hello is not set up on this computer."

    def enrol(
        self, user_id: str, user_name: str, existing: Sequence[StoredCredential]
    ) -> NewCredential:
        name = f"AsiriaPOS-{user_id}"
        status, public_key = self._hello().create(name)
        _check(status)
        return NewCredential(name, public_key, 0, f"Windows Hello ({user_name})")

    def verify(self, candidates: Sequence[StoredCredential]) -> Verification:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, rsa
        from cryptography.hazmat.primitives.serialization import load_der_public_key

        mine = [c for c in candidates if c.kind == self.kind]
        if len(mine) != 1 or mine[0].public_key is None:
            raise BiometricNotRecognised("Pick your name first, then use Windows Hello.")
        credential = mine[0]
        challenge = secrets.token_bytes(32)
        self._cancel.clear()
        status, signature = self._hello().sign(credential.reference, challenge)
        if self._cancel.is_set():
            raise BiometricCancelled("Cancelled. Use your PIN, or try again.")
        _check(status)
        if credential.public_key is None:
            raise BiometricNotRecognised("The stored Windows Hello key is not one the till made.")
        key = load_der_public_key(credential.public_key)
        if not isinstance(key, rsa.RSAPublicKey):
            raise BiometricNotRecognised("The stored Windows Hello key is not one the till made.")
        try:
            key.verify(signature, challenge, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as exc:
            raise BiometricNotRecognised("Windows Hello's signature does not check out.") from exc
        return Verification(credential.id, 0)

    def cancel(self) -> None:
        self._cancel.set()  # Hello's own dialog has a Cancel button; this drops the answer

    def _hello(self) -> HelloPlatform:
        if self._platform is None:
            try:
                import winrt.windows.security.credentials  # noqa: F401
            except ImportError as exc:
                raise BiometricUnavailable(
                    "Windows Hello is only available on Windows (package winrt-Windows."
                    "Security.Credentials)."
                ) from exc
            self._platform = WinRtHello()
        return self._platform


def _check(status: int) -> None:
    if status == SUCCESS:
        return
    if status in (USER_CANCELED, USER_PREFERS_PASSWORD):
        raise BiometricCancelled("Windows Hello was cancelled. Use your PIN.")
    if status == NOT_FOUND:
        raise BiometricNotRecognised(
            "This person's Windows Hello key is missing on this computer. Ask a manager to "
            "enrol them again."
        )
    if status == SECURITY_DEVICE_LOCKED:
        raise BiometricNotRecognised("Windows Hello is locked after too many tries. Use your PIN.")
    raise BiometricUnavailable(f"Windows Hello failed (status {status}). Use your PIN.")
