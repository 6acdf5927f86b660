"""A CTAP2 authenticator in software, behind python-fido2's ``CtapDevice`` interface.

It speaks real CTAP2 over the CBOR channel (canonical CBOR in and out), makes EC P-256 keys and
signs with them, keeps a signature counter, and "reads a finger": ``finger`` says what the next
touch is (``"enrolled"``, ``"other"`` or ``"none"`` for nobody touching). Packed self
attestation, as many real keys send.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2 import cbor
from fido2.cose import ES256
from fido2.ctap import CtapDevice, CtapError
from fido2.hid import CAPABILITY, CTAPHID
from fido2.webauthn import AttestedCredentialData, AuthenticatorData

FLAGS = AuthenticatorData.FLAG
AAGUID = bytes.fromhex("0bb43545fd2c418a9aa2e3fa2f4b8e5b")


class SoftwareAuthenticator(CtapDevice):
    def __init__(self, *, uv_configured: bool = True, max_creds_in_list: int = 8) -> None:
        self.uv_configured = uv_configured
        self.max_creds_in_list = max_creds_in_list
        self.finger = "enrolled"
        self.counter = 0
        self.keys: dict[bytes, tuple[ec.EllipticCurvePrivateKey, bytes]] = {}
        self.calls: list[int] = []

    @property
    def capabilities(self) -> int:
        return CAPABILITY.CBOR

    @classmethod
    def list_devices(cls):  # type: ignore[no-untyped-def]
        return iter(())

    def clone(self) -> SoftwareAuthenticator:
        """A copy of the key as it is now (keys and counter): what a cloning attack makes."""
        twin = SoftwareAuthenticator(
            uv_configured=self.uv_configured, max_creds_in_list=self.max_creds_in_list
        )
        twin.keys = dict(self.keys)
        twin.counter = self.counter
        return twin

    def call(self, cmd, data=b"", event=None, on_keepalive=None):  # type: ignore[no-untyped-def]
        assert cmd == CTAPHID.CBOR
        command = data[0]
        self.calls.append(command)
        request = cbor.decode(data[1:]) if len(data) > 1 else {}
        try:
            if command == 0x04:
                body = self._info()
            elif command == 0x01:
                body = self._make_credential(request)
            elif command == 0x02:
                body = self._get_assertion(request)
            else:
                raise CtapError(CtapError.ERR.INVALID_COMMAND)
        except CtapError as exc:
            return bytes([exc.code])
        return b"\x00" + cbor.encode(body)

    def _info(self) -> dict[int, Any]:
        return {
            1: ["FIDO_2_0"],
            3: AAGUID,
            4: {"rk": True, "up": True, "uv": self.uv_configured},
            5: 1200,
            7: self.max_creds_in_list,
        }

    def _touch(self) -> None:
        if self.finger == "none":
            raise CtapError(CtapError.ERR.USER_ACTION_TIMEOUT)
        if self.finger != "enrolled":
            raise CtapError(CtapError.ERR.UV_INVALID)

    def _make_credential(self, request: dict[int, Any]) -> dict[int, Any]:
        client_data_hash, rp = request[1], request[2]
        rp_hash = hashlib.sha256(rp["id"].encode()).digest()
        for excluded in request.get(5) or []:
            if excluded["id"] in self.keys:
                self._touch()
                raise CtapError(CtapError.ERR.CREDENTIAL_EXCLUDED)
        assert {"type": "public-key", "alg": -7} in request[4]
        self._touch()
        private = ec.generate_private_key(ec.SECP256R1())
        credential_id = os.urandom(32)
        self.keys[credential_id] = (private, rp_hash)
        self.counter += 1
        auth_data = AuthenticatorData.create(
            rp_hash,
            FLAGS.UP | FLAGS.UV | FLAGS.AT,
            self.counter,
            AttestedCredentialData.create(
                AAGUID, credential_id, ES256.from_cryptography_key(private.public_key())
            ),
        )
        signature = private.sign(auth_data + client_data_hash, ec.ECDSA(hashes.SHA256()))
        return {1: "packed", 2: auth_data, 3: {"alg": -7, "sig": signature}}

    def _get_assertion(self, request: dict[int, Any]) -> dict[int, Any]:
        rp_hash = hashlib.sha256(request[1].encode()).digest()
        client_data_hash = request[2]
        allowed = [d["id"] for d in request.get(3) or []]
        if len(allowed) > self.max_creds_in_list:
            raise CtapError(CtapError.ERR.LIMIT_EXCEEDED)
        mine = [i for i in allowed if i in self.keys and self.keys[i][1] == rp_hash]
        if not mine:
            raise CtapError(CtapError.ERR.NO_CREDENTIALS)
        self._touch()
        credential_id = mine[0]
        private = self.keys[credential_id][0]
        self.counter += 1
        auth_data = AuthenticatorData.create(rp_hash, FLAGS.UP | FLAGS.UV, self.counter)
        signature = private.sign(auth_data + client_data_hash, ec.ECDSA(hashes.SHA256()))
        return {1: {"id": credential_id, "type": "public-key"}, 2: auth_data, 3: signature}
