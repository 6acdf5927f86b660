"""The fprintd adapter over a private D-Bus bus, against a fake fprintd with the real names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from asiria_desktop.domain.biometrics import (
    BiometricAlreadyEnrolled,
    BiometricCancelled,
    BiometricNotRecognised,
    BiometricUnavailable,
)
from asiria_desktop.hardware.fprintd_verifier import FprintdVerifier
from asiria_desktop.ports.biometrics import NewCredential, StoredCredential

from .fprintd_bus import FakeFprintBus, fake_fprintd_bus

pytestmark = pytest.mark.integration


@pytest.fixture
def bus() -> Iterator[FakeFprintBus]:
    with fake_fprintd_bus() as fake:
        yield fake


def stored(new: NewCredential, user_id: str, credential_id: str) -> StoredCredential:
    return StoredCredential(
        id=credential_id,
        user_id=user_id,
        kind="fingerprint",
        reference=new.reference,
        public_key=new.public_key,
        sign_count=new.sign_count,
        label=new.label,
        created_at=datetime(2026, 12, 5, tzinfo=UTC),
    )


def test_each_person_gets_their_own_account_and_only_their_finger_matches(
    bus: FakeFprintBus,
) -> None:
    verifier = FprintdVerifier(bus=bus.address, accounts=["asiria-fp01", "asiria-fp02"])
    assert verifier.unavailable_reason() is None
    wanjiku = stored(verifier.enrol("u1", "Wanjiku", []), "u1", "c1")
    otieno = stored(verifier.enrol("u2", "Otieno", [wanjiku]), "u2", "c2")
    assert (wanjiku.reference, otieno.reference) == ("asiria-fp01", "asiria-fp02")
    assert bus.accounts_with_prints() == ["asiria-fp01", "asiria-fp02"]

    bus.touch("asiria-fp01")
    assert verifier.verify([wanjiku]).credential_id == "c1"
    with pytest.raises(BiometricNotRecognised, match="not recognised"):
        verifier.verify([otieno])  # Wanjiku's finger on Otieno's name
    bus.touch("stranger")
    with pytest.raises(BiometricNotRecognised):
        verifier.verify([wanjiku])

    calls = bus.calls()
    assert calls[:5] == ["Claim", "DeleteEnrolledFingers2", "EnrollStart", "EnrollStop", "Release"]
    assert calls[-5:] == ["Claim", "ListEnrolledFingers", "VerifyStart", "VerifyStop", "Release"]


def test_a_retry_hint_is_passed_on_and_the_touch_still_counts(bus: FakeFprintBus) -> None:
    verifier = FprintdVerifier(bus=bus.address, accounts=["asiria-fp01"])
    mine = stored(verifier.enrol("u1", "W", []), "u1", "c1")
    bus.touch("retry:asiria-fp01")
    assert verifier.verify([mine]).credential_id == "c1"
    assert verifier.last_hint == "Touch the reader again."


def test_nobody_touching_ends_as_cancelled_and_releases_the_reader(bus: FakeFprintBus) -> None:
    verifier = FprintdVerifier(bus=bus.address, accounts=["asiria-fp01"], timeout_s=0.5)
    mine = stored(verifier.enrol("u1", "W", []), "u1", "c1")
    bus.touch("")
    with pytest.raises(BiometricCancelled):
        verifier.verify([mine])
    assert bus.calls()[-2:] == ["VerifyStop", "Release"]
    bus.touch("asiria-fp01")  # the reader was released: the next sign-in works
    assert verifier.verify([mine]).credential_id == "c1"


def test_a_person_without_prints_and_a_full_pool_are_refused_plainly(bus: FakeFprintBus) -> None:
    verifier = FprintdVerifier(bus=bus.address, accounts=["asiria-fp01"])
    mine = stored(verifier.enrol("u1", "W", []), "u1", "c1")
    with pytest.raises(BiometricAlreadyEnrolled, match="in use"):
        verifier.enrol("u2", "O", [mine])
    nobody = replace(mine, reference="asiria-fp09")
    with pytest.raises(BiometricNotRecognised, match=r"(?i)no fingerprint is enrolled"):
        verifier.verify([nobody])
    with pytest.raises(BiometricNotRecognised, match="Pick your name"):
        verifier.verify([mine, nobody])


def test_no_reader_and_no_service_say_use_your_pin(bus: FakeFprintBus) -> None:
    verifier = FprintdVerifier(bus=bus.address, accounts=["asiria-fp01"])
    bus.plug(False)
    assert "No fingerprint reader" in (verifier.unavailable_reason() or "")
    with pytest.raises(BiometricUnavailable):
        verifier.enrol("u1", "W", [])
    gone = FprintdVerifier(bus="unix:path=/nonexistent/bus", accounts=["asiria-fp01"])
    assert "can't be reached" in (gone.unavailable_reason() or "")
