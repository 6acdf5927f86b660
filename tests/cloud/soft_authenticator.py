"""A software WebAuthn authenticator: what a phone or laptop does, built from the spec.

It makes real EC P-256 (ES256) key pairs, real CBOR attestation objects ("none" attestation)
and real signatures, so the server-side verification runs exactly as with a device. Knobs let
a test play a hostile or broken client: another origin, another RP id, a counter gone back.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.encode_cbor import encode_cbor

FLAG_UP, FLAG_UV, FLAG_BE, FLAG_BS, FLAG_AT = 0x01, 0x04, 0x08, 0x10, 0x40
AAGUID = bytes.fromhex("adce000235bcc60a648b0b25f1f05503")


@dataclass
class SoftAuthenticator:
    origin: str = "http://localhost:8000"
    rp_id: str | None = None  # None: the rpId the server's options name
    sign_count: int = 0
    user_verified: bool = True
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: os.urandom(32))
    user_handle: bytes | None = None

    def clone(self) -> SoftAuthenticator:
        """A copy holding the same private key and counter: what key extraction gives."""
        return SoftAuthenticator(
            origin=self.origin,
            rp_id=self.rp_id,
            sign_count=self.sign_count,
            key=self.key,
            credential_id=self.credential_id,
            user_handle=self.user_handle,
        )

    def cose_public_key(self) -> bytes:
        """The public key as a relying party stores it: a CBOR-encoded COSE key."""
        return encode_cbor(self._cose_public_key())

    # -- navigator.credentials.create() ------------------------------------------------------
    def create(self, options: dict[str, Any]) -> dict[str, Any]:
        rp_id = self.rp_id or options["rp"]["id"]
        self.user_handle = base64url_to_bytes(options["user"]["id"])
        client_data = self._client_data("webauthn.create", options["challenge"])
        auth_data = self._auth_data(rp_id, attested=True)
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": bytes_to_base64url(self.credential_id),
            "rawId": bytes_to_base64url(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal", "hybrid"],
            },
        }

    # -- navigator.credentials.get() ---------------------------------------------------------
    def get(self, options: dict[str, Any], *, user_handle: bytes | None = None) -> dict[str, Any]:
        rp_id = self.rp_id or options["rpId"]
        if self.sign_count:
            self.sign_count += 1
        client_data = self._client_data("webauthn.get", options["challenge"])
        auth_data = self._auth_data(rp_id, attested=False)
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        handle = user_handle if user_handle is not None else self.user_handle
        return {
            "id": bytes_to_base64url(self.credential_id),
            "rawId": bytes_to_base64url(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": bytes_to_base64url(handle) if handle else None,
            },
        }

    # -- the bytes ---------------------------------------------------------------------------
    def _client_data(self, kind: str, challenge: str) -> bytes:
        body = {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        return json.dumps(body, separators=(",", ":")).encode()

    def _auth_data(self, rp_id: str, *, attested: bool) -> bytes:
        flags = FLAG_UP | (FLAG_UV if self.user_verified else 0)
        data = hashlib.sha256(rp_id.encode()).digest()
        if attested:
            flags |= FLAG_AT
        data += bytes([flags]) + struct.pack(">I", self.sign_count)
        if attested:
            data += AAGUID + struct.pack(">H", len(self.credential_id)) + self.credential_id
            data += encode_cbor(self._cose_public_key())
        return data

    def _cose_public_key(self) -> dict[int, Any]:
        numbers = self.key.public_key().public_numbers()
        return {
            1: 2,  # kty: EC2
            3: -7,  # alg: ES256
            -1: 1,  # crv: P-256
            -2: numbers.x.to_bytes(32, "big"),
            -3: numbers.y.to_bytes(32, "big"),
        }
