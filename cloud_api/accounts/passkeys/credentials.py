"""Reading a browser's credential JSON just far enough to know which challenge and key it names.

Everything here is untrusted input: the signature is checked later by the webauthn library.
"""

from __future__ import annotations

import binascii
import hashlib
from typing import Any

from webauthn.helpers import base64url_to_bytes, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException

from cloud_api.core.errors import ApplicationError

# What a malformed credential can raise while being decoded (base64, JSON, CBOR, structure).
MALFORMED = (WebAuthnException, ValueError, TypeError, KeyError, IndexError, binascii.Error)


def malformed(field: str = "credential") -> ApplicationError:
    return ApplicationError(
        "The passkey's answer is not in the expected form.",
        fields={field: ["Send the browser's PublicKeyCredential as JSON."]},
        code="passkey_malformed",
    )


def challenge_of(credential: dict[str, Any]) -> bytes:
    """The challenge the browser signed, from ``response.clientDataJSON``."""
    try:
        client_data = parse_client_data_json(
            base64url_to_bytes(credential["response"]["clientDataJSON"])
        )
    except MALFORMED as exc:
        raise malformed() from exc
    return client_data.challenge


def raw_id_of(credential: dict[str, Any]) -> bytes:
    try:
        raw_id = base64url_to_bytes(credential["rawId"])
    except MALFORMED as exc:
        raise malformed() from exc
    if not raw_id or len(raw_id) > 1023:  # the WebAuthn limit for a credential id
        raise malformed()
    return raw_id


def user_handle_of(credential: dict[str, Any]) -> bytes | None:
    handle = credential.get("response", {}).get("userHandle")
    if handle in (None, ""):
        return None
    try:
        return base64url_to_bytes(handle)
    except MALFORMED as exc:
        raise malformed() from exc


def credential_key(raw_id: bytes) -> str:
    return hashlib.sha256(raw_id).hexdigest()
