"""Registering a passkey: options for ``navigator.credentials.create()``, then its answer."""

from __future__ import annotations

from typing import Any

import structlog
from django.db import IntegrityError, transaction
from webauthn import generate_registration_options, verify_registration_response
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, options_to_json_dict
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from cloud_api.accounts import login_guard
from cloud_api.accounts.models import User
from cloud_api.accounts.passkeys import challenges
from cloud_api.accounts.passkeys.config import relying_party
from cloud_api.accounts.passkeys.credentials import (
    MALFORMED,
    challenge_of,
    credential_key,
    raw_id_of,
)
from cloud_api.accounts.passkeys.models import Passkey
from cloud_api.accounts.passkeys.selectors import passkey_list
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.core.principal import HEAD_OFFICE, MANAGER, OWNER

log = structlog.get_logger(__name__)

# Cashiers sign in at the till with a PIN (or the till's own biometrics), never here.
PASSKEY_ROLES = frozenset({OWNER, HEAD_OFFICE, MANAGER})
MAX_PASSKEYS_PER_USER = 20


def passkey_registration_options(*, user: User, password: str, address: str) -> dict[str, Any]:
    """Options for the browser; asks for the current password, so a stolen session or access
    token alone cannot plant an attacker's passkey on the account."""
    if not login_guard.password_confirmed(
        email=user.email, password=password, check=user.check_password, address=address
    ):
        log.warning("passkey_register_bad_password", user=str(user.uuid))
        raise ApplicationError(
            "The password is not right.",
            fields={"password": ["Enter your current password to add a passkey."]},
            code="password_incorrect",
        )
    mine = list(passkey_list(user=user))
    if len(mine) >= MAX_PASSKEYS_PER_USER:
        raise ApplicationError(
            f"You already have {MAX_PASSKEYS_PER_USER} passkeys; revoke one you no longer use.",
            code="too_many_passkeys",
        )
    party = relying_party()
    challenge = challenges.challenge_issue(
        purpose=challenges.REGISTER, user_id=user.pk, seconds=party.challenge_seconds
    )
    options = generate_registration_options(
        rp_id=party.id,
        rp_name=party.name,
        # An opaque handle, not the email: authenticators may show or sync it.
        user_id=user.uuid.bytes,
        user_name=user.email,
        user_display_name=user.name or user.email,
        challenge=challenge,
        timeout=party.challenge_seconds * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            # Discoverable, so sign-in needs no email typed first (and reveals none).
            resident_key=ResidentKeyRequirement.REQUIRED,
            # The fingerprint or face (or device PIN) is what makes it a second factor.
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(
                id=base64url_to_bytes(passkey.credential_id),
                transports=_transports(passkey.transports),
            )
            for passkey in mine
        ],
    )
    return options_to_json_dict(options)


def passkey_register(*, user: User, credential: dict[str, Any], name: str) -> Passkey:
    challenge = challenges.challenge_take(value=challenge_of(credential))
    if (
        challenge is None
        or challenge.purpose != challenges.REGISTER
        or challenge.user_id != user.pk
    ):
        raise ApplicationError(
            "This passkey request has expired or was already used; start again.",
            code="challenge_expired",
        )
    party = relying_party()
    raw_id = raw_id_of(credential)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge.value,
            expected_rp_id=party.id,
            expected_origin=list(party.origins),
            require_user_verification=True,
        )
    except MALFORMED as exc:
        log.warning("passkey_register_refused", user=str(user.uuid), reason=str(exc))
        raise ApplicationError(
            "The passkey could not be verified for this site.",
            fields={"credential": [str(exc)]},
            code="passkey_refused",
        ) from exc
    if verified.credential_id != raw_id:
        raise ApplicationError(
            "The passkey's answer names two different credentials.",
            fields={"credential": ["rawId differs from the attested credential id."]},
            code="passkey_refused",
        )
    transports = credential["response"].get("transports")
    try:
        with transaction.atomic():
            passkey = Passkey.objects.create(
                user=user,
                name=name,
                credential_id=bytes_to_base64url(verified.credential_id),
                credential_key=credential_key(verified.credential_id),
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                transports=[t.value for t in _transports(transports)],
                aaguid=verified.aaguid,
                backed_up=verified.credential_backed_up,
            )
    except IntegrityError as exc:
        raise ConflictError("This passkey is already registered.", code="passkey_exists") from exc
    log.info("passkey_registered", user=str(user.uuid), passkey=str(passkey.uuid))
    return passkey


def _transports(values: object) -> list[AuthenticatorTransport]:
    """The transports WebAuthn defines, once each; anything else a client sends is dropped."""
    if not isinstance(values, list):
        return []
    known = {transport.value for transport in AuthenticatorTransport}
    return [
        AuthenticatorTransport(v)
        for v in dict.fromkeys(values)
        if isinstance(v, str) and v in known
    ]
