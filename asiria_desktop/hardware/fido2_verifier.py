"""FIDO2 security keys with a built-in fingerprint reader, through Yubico's python-fido2.

A credential per person: ``make_credential`` at enrolment (the till keeps the credential id and
its public key), ``get_assertion`` with user verification at sign-in, checked here against the
stored public key over a fresh random challenge. The key checks the finger itself; nothing
leaves the till, so it works offline. The caller checks the signature counter.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from asiria_desktop.domain.biometrics import (
    BiometricAlreadyEnrolled,
    BiometricCancelled,
    BiometricError,
    BiometricKind,
    BiometricNotRecognised,
    BiometricUnavailable,
)
from asiria_desktop.ports.biometrics import NewCredential, StoredCredential, Verification

if TYPE_CHECKING:
    from fido2.ctap import CtapDevice, CtapError
    from fido2.ctap2.base import AssertionResponse, Ctap2

#: The relying party every till credential is made for: fixed, so a key enrolled on one till
#: signs in on the same till after a reinstall (the credential list lives in its database).
RP_ID = "till.asiriapos.invalid"
RP_NAME = "AsiriaPOS till"
ES256 = -7

DeviceSource = Callable[[], Iterable["CtapDevice"]]


def usb_keys() -> Iterator[CtapDevice]:
    """Every FIDO USB key the till can open (hidraw permissions on Linux)."""
    from fido2.hid import CtapHidDevice

    yield from CtapHidDevice.list_devices()


class Fido2Verifier:
    kind = str(BiometricKind.SECURITY_KEY)
    identifies_person = True

    def __init__(self, devices: DeviceSource = usb_keys, rp_id: str = RP_ID) -> None:
        self._devices = devices
        self._rp_id = rp_id
        self._cancel = threading.Event()

    def unavailable_reason(self) -> str | None:
        try:
            self._authenticator()
        except BiometricError as exc:
            return exc.message
        return None

    def enrol(
        self, user_id: str, user_name: str, existing: Sequence[StoredCredential]
    ) -> NewCredential:
        from fido2.attestation.base import Attestation
        from fido2.cbor import encode
        from fido2.ctap import CtapError

        ctap = self._authenticator()
        client_data_hash = _challenge()
        exclude = [_descriptor(c) for c in existing if c.kind == self.kind]
        self._cancel.clear()
        try:
            response = ctap.make_credential(
                client_data_hash,
                {"id": self._rp_id, "name": RP_NAME},
                {"id": uuid.UUID(user_id).bytes, "name": user_name, "displayName": user_name},
                [{"type": "public-key", "alg": ES256}],
                exclude_list=exclude or None,
                options={"rk": False, "uv": True},
                event=self._cancel,
            )
        except CtapError as exc:
            if exc.code == CtapError.ERR.CREDENTIAL_EXCLUDED:
                raise BiometricAlreadyEnrolled(
                    "This key is already enrolled at this till for someone. Each person needs "
                    "their own key."
                ) from exc
            raise _plain(exc) from exc
        auth_data = response.auth_data
        credential = auth_data.credential_data
        if auth_data.rp_id_hash != _sha256(self._rp_id) or credential is None:
            raise BiometricNotRecognised("The key gave an answer the till can't use.")
        if not auth_data.is_user_verified():
            raise BiometricNotRecognised("The key did not check a fingerprint. Try again.")
        try:
            Attestation.for_type(response.fmt)().verify(
                response.att_stmt, auth_data, client_data_hash
            )
        except Exception as exc:
            raise BiometricNotRecognised("The key's enrolment answer is not genuine.") from exc
        return NewCredential(
            reference=credential.credential_id.hex(),
            public_key=encode(dict(credential.public_key)),
            sign_count=auth_data.counter,
            label=f"Security key {credential.credential_id.hex()[:8]}",
        )

    def verify(self, candidates: Sequence[StoredCredential]) -> Verification:
        from fido2.ctap import CtapError

        mine = {c.reference: c for c in candidates if c.kind == self.kind}
        if not mine:
            raise BiometricNotRecognised("Nobody has a security key enrolled at this till yet.")
        ctap = self._authenticator()
        client_data_hash = _challenge()
        allow = [_descriptor(c) for c in mine.values()]
        size = ctap.info.max_creds_in_list or len(allow)
        self._cancel.clear()
        for start in range(0, len(allow), size):
            chunk = allow[start : start + size]
            try:
                response = ctap.get_assertion(
                    self._rp_id,
                    client_data_hash,
                    chunk,
                    options={"up": True, "uv": True},
                    event=self._cancel,
                )
            except CtapError as exc:
                if exc.code == CtapError.ERR.NO_CREDENTIALS:
                    continue
                raise _plain(exc) from exc
            used = bytes(response.credential["id"]) if response.credential else chunk[0]["id"]
            return self._checked(mine.get(used.hex()), response, client_data_hash)
        raise BiometricNotRecognised(
            "This key is not enrolled at this till. Use your PIN, or ask a manager to enrol it."
        )

    def cancel(self) -> None:
        self._cancel.set()

    # ---------------------------------------------------------------------------------------

    def _checked(
        self,
        credential: StoredCredential | None,
        response: AssertionResponse,
        client_data_hash: bytes,
    ) -> Verification:
        from cryptography.exceptions import InvalidSignature
        from fido2.cbor import decode
        from fido2.cose import CoseKey

        auth_data = response.auth_data
        if credential is None or credential.public_key is None:
            raise BiometricNotRecognised("This key is not enrolled at this till.")
        if auth_data.rp_id_hash != _sha256(self._rp_id):
            raise BiometricNotRecognised("The key answered for another site, not this till.")
        if not (auth_data.is_user_present() and auth_data.is_user_verified()):
            raise BiometricNotRecognised("The key did not check a fingerprint. Try again.")
        try:
            CoseKey.parse(cast("Mapping[int, Any]", decode(credential.public_key))).verify(
                auth_data + client_data_hash, response.signature
            )
        except (InvalidSignature, ValueError) as exc:
            raise BiometricNotRecognised("The key's signature does not check out.") from exc
        return Verification(credential.id, auth_data.counter)

    def _authenticator(self) -> Ctap2:
        from fido2.ctap2.base import Ctap2

        try:
            devices = list(self._devices())
        except (OSError, ImportError) as exc:
            raise BiometricUnavailable(
                f"The till can't look for security keys ({exc}). Use your PIN."
            ) from exc
        for device in devices:
            try:
                ctap = Ctap2(device)
            except (ValueError, OSError):
                continue  # a U2F-only key: no built-in fingerprint reader
            if ctap.info.options.get("uv") is True:
                return ctap
            if "uv" in ctap.info.options:
                raise BiometricUnavailable(
                    "This security key has no fingerprint enrolled yet. Add one with the key "
                    "maker's app, then try again."
                )
        raise BiometricUnavailable(
            "No security key with a fingerprint reader is plugged in. Use your PIN."
        )


def _challenge() -> bytes:
    """A fresh random challenge per touch: an old answer can't be replayed."""
    return hashlib.sha256(secrets.token_bytes(32)).digest()


def _sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def _descriptor(credential: StoredCredential) -> Mapping[str, Any]:
    return {"type": "public-key", "id": bytes.fromhex(credential.reference)}


def _plain(exc: CtapError) -> BiometricError:
    from fido2.ctap import CtapError

    code = exc.code
    if code in (CtapError.ERR.UV_INVALID, CtapError.ERR.PIN_AUTH_INVALID):
        return BiometricNotRecognised("The key did not recognise that finger. Try again.")
    if code in (
        CtapError.ERR.UV_BLOCKED,
        CtapError.ERR.PIN_BLOCKED,
        CtapError.ERR.PIN_AUTH_BLOCKED,
    ):
        return BiometricNotRecognised(
            "The key's fingerprint reader is locked after too many tries. Use your PIN; unlock "
            "the key with its own PIN later."
        )
    if code in (
        CtapError.ERR.KEEPALIVE_CANCEL,
        CtapError.ERR.USER_ACTION_TIMEOUT,
        CtapError.ERR.ACTION_TIMEOUT,
        CtapError.ERR.OPERATION_DENIED,
    ):
        return BiometricCancelled("Nobody touched the key in time. Try again or use your PIN.")
    return BiometricUnavailable(f"The security key reported a problem ({code.name}). Use your PIN.")
