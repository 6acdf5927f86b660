"""Windows Hello's checks around the WinRT calls, with an RSA key store in software.

The WinRT projection itself only runs on Windows; here a ``HelloPlatform`` made of real RSA
keys stands in for the Hello key store, so signature checking, naming and status mapping are
tested for real.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from asiria_desktop.domain.biometrics import (
    BiometricCancelled,
    BiometricNotRecognised,
    BiometricUnavailable,
)
from asiria_desktop.hardware import windows_hello
from asiria_desktop.hardware.windows_hello import WindowsHelloVerifier
from asiria_desktop.ports.biometrics import StoredCredential


class SoftwareHello:
    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.answer = windows_hello.SUCCESS

    def is_supported(self) -> bool:
        return True

    def create(self, name: str) -> tuple[int, bytes]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.keys[name] = key
        der = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        return windows_hello.SUCCESS, der

    def sign(self, name: str, data: bytes) -> tuple[int, bytes]:
        if self.answer != windows_hello.SUCCESS:
            return self.answer, b""
        if name not in self.keys:
            return windows_hello.NOT_FOUND, b""
        return windows_hello.SUCCESS, self.keys[name].sign(
            data, padding.PKCS1v15(), hashes.SHA256()
        )


def enrolled(hello: SoftwareHello, user_id: str) -> StoredCredential:
    new = WindowsHelloVerifier(hello).enrol(user_id, "Wanjiku", [])
    return StoredCredential(
        "c-" + user_id,
        user_id,
        "windows_hello",
        new.reference,
        new.public_key,
        0,
        new.label,
        datetime(2026, 12, 5, tzinfo=UTC),
    )


def test_a_hello_signature_over_a_fresh_challenge_signs_the_person_in() -> None:
    hello = SoftwareHello()
    mine = enrolled(hello, "u1")
    assert mine.reference == "AsiriaPOS-u1"
    assert WindowsHelloVerifier(hello).verify([mine]).credential_id == "c-u1"


def test_another_persons_key_or_a_refusal_does_not_sign_in() -> None:
    hello = SoftwareHello()
    mine, theirs = enrolled(hello, "u1"), enrolled(hello, "u2")
    crossed = replace(mine, public_key=theirs.public_key)
    with pytest.raises(BiometricNotRecognised, match="signature"):
        WindowsHelloVerifier(hello).verify([crossed])
    hello.answer = windows_hello.USER_CANCELED
    with pytest.raises(BiometricCancelled):
        WindowsHelloVerifier(hello).verify([mine])
    hello.answer = windows_hello.SECURITY_DEVICE_LOCKED
    with pytest.raises(BiometricNotRecognised, match="locked"):
        WindowsHelloVerifier(hello).verify([mine])


def test_off_windows_the_reason_is_plain() -> None:
    verifier = WindowsHelloVerifier()
    assert "only available on Windows" in (verifier.unavailable_reason() or "")
    with pytest.raises(BiometricUnavailable):
        verifier.enrol("u1", "W", [])
