"""The biometric readers a till offers, by platform: fprintd on Linux, Windows Hello on
Windows, FIDO2 security keys on both. Each reports itself unavailable (in plain words) when
its device or service is missing, so offering them costs nothing."""

from __future__ import annotations

import sys

from asiria_desktop.hardware.fido2_verifier import Fido2Verifier
from asiria_desktop.hardware.fprintd_verifier import FprintdVerifier
from asiria_desktop.hardware.windows_hello import WindowsHelloVerifier
from asiria_desktop.ports.biometrics import BiometricVerifier


def platform_readers(platform: str = sys.platform) -> list[BiometricVerifier]:
    readers: list[BiometricVerifier] = []
    if platform.startswith("linux"):
        readers.append(FprintdVerifier())
    elif platform == "win32":
        readers.append(WindowsHelloVerifier())
    readers.append(Fido2Verifier())
    return readers
