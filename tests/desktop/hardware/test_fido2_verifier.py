"""The FIDO2 adapter against a CTAP2 authenticator in software (real CBOR, real P-256)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from asiria_desktop.domain.biometrics import (
    BiometricAlreadyEnrolled,
    BiometricCancelled,
    BiometricNotRecognised,
    BiometricUnavailable,
)
from asiria_desktop.hardware.fido2_verifier import Fido2Verifier
from asiria_desktop.ports.biometrics import NewCredential, StoredCredential

from .fake_ctap2 import SoftwareAuthenticator

CASHIER = "0193a000-0000-7000-8000-00000000c001"
OTHER = "0193a000-0000-7000-8000-00000000c002"


def stored(new: NewCredential, user_id: str, credential_id: str) -> StoredCredential:
    return StoredCredential(
        id=credential_id,
        user_id=user_id,
        kind="security_key",
        reference=new.reference,
        public_key=new.public_key,
        sign_count=new.sign_count,
        label=new.label,
        created_at=datetime(2026, 12, 5, tzinfo=UTC),
    )


def verifier_for(*keys: SoftwareAuthenticator) -> Fido2Verifier:
    return Fido2Verifier(devices=lambda: list(keys))


def test_a_key_enrolled_for_a_cashier_signs_that_cashier_in() -> None:
    key = SoftwareAuthenticator()
    verifier = verifier_for(key)
    new = verifier.enrol(CASHIER, "Wanjiku", [])
    assert len(bytes.fromhex(new.reference)) == 32 and new.public_key
    mine = stored(new, CASHIER, "cred-1")
    other_key = SoftwareAuthenticator()
    theirs = stored(verifier_for(other_key).enrol(OTHER, "Otieno", []), OTHER, "cred-2")

    result = verifier.verify([theirs, mine])

    assert result.credential_id == "cred-1"
    assert result.sign_count == key.counter > new.sign_count


def test_a_finger_the_key_does_not_know_is_refused() -> None:
    key = SoftwareAuthenticator()
    verifier = verifier_for(key)
    mine = stored(verifier.enrol(CASHIER, "Wanjiku", []), CASHIER, "cred-1")
    key.finger = "other"
    with pytest.raises(BiometricNotRecognised, match="did not recognise"):
        verifier.verify([mine])
    key.finger = "none"
    with pytest.raises(BiometricCancelled):
        verifier.verify([mine])


def test_a_key_not_enrolled_here_is_refused() -> None:
    enrolled = stored(verifier_for(SoftwareAuthenticator()).enrol(CASHIER, "W", []), CASHIER, "c")
    stranger = verifier_for(SoftwareAuthenticator())
    with pytest.raises(BiometricNotRecognised, match="not enrolled"):
        stranger.verify([enrolled])


def test_a_forged_signature_is_refused() -> None:
    """A stored public key that is not the key's own: the signature can't check out."""
    key = SoftwareAuthenticator()
    verifier = verifier_for(key)
    mine = stored(verifier.enrol(CASHIER, "W", []), CASHIER, "c1")
    someone_else = stored(verifier_for(SoftwareAuthenticator()).enrol(OTHER, "O", []), OTHER, "c2")
    swapped = replace(mine, public_key=someone_else.public_key)
    with pytest.raises(BiometricNotRecognised, match="signature"):
        verifier.verify([swapped])


def test_one_key_can_not_be_enrolled_for_two_people() -> None:
    key = SoftwareAuthenticator()
    verifier = verifier_for(key)
    first = stored(verifier.enrol(CASHIER, "Wanjiku", []), CASHIER, "c1")
    with pytest.raises(BiometricAlreadyEnrolled):
        verifier.enrol(OTHER, "Otieno", [first])


def test_more_credentials_than_the_key_takes_in_one_list_are_tried_in_chunks() -> None:
    key = SoftwareAuthenticator(max_creds_in_list=2)
    verifier = verifier_for(key)
    others = [
        stored(verifier_for(SoftwareAuthenticator()).enrol(OTHER, "O", []), OTHER, f"o{i}")
        for i in range(5)
    ]
    mine = stored(verifier.enrol(CASHIER, "W", []), CASHIER, "mine")
    assert verifier.verify([*others, mine]).credential_id == "mine"


def test_without_a_key_or_without_a_fingerprint_on_it_the_reason_is_plain() -> None:
    assert "No security key" in (verifier_for().unavailable_reason() or "")
    assert "no fingerprint enrolled" in (
        verifier_for(SoftwareAuthenticator(uv_configured=False)).unavailable_reason() or ""
    )
    with pytest.raises(BiometricUnavailable):
        verifier_for().verify([stored(NewCredential("00" * 32, b"x", 0, "k"), CASHIER, "c")])
    assert verifier_for(SoftwareAuthenticator()).unavailable_reason() is None
