"""Signing in with a passkey: options for ``navigator.credentials.get()``, then its answer."""

from __future__ import annotations

from typing import Any

import structlog
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.utils import timezone
from webauthn import generate_authentication_options, verify_authentication_response
from webauthn.helpers import options_to_json_dict
from webauthn.helpers.structs import UserVerificationRequirement

from cloud_api.accounts.models import User
from cloud_api.accounts.passkeys import challenges
from cloud_api.accounts.passkeys.config import relying_party
from cloud_api.accounts.passkeys.credentials import (
    MALFORMED,
    challenge_of,
    credential_key,
    raw_id_of,
    user_handle_of,
)
from cloud_api.accounts.passkeys.models import Passkey, RevokedReason
from cloud_api.accounts.passkeys.registration import PASSKEY_ROLES
from cloud_api.core.errors import ApplicationError
from cloud_api.core.principal import principal_for_user

log = structlog.get_logger(__name__)


def refused(message: str = "This passkey cannot sign you in here.") -> ApplicationError:
    return ApplicationError(message, code="authentication_failed", status_code=401)


def passkey_authentication_options() -> dict[str, Any]:
    """Options with no account named: the device offers its passkeys for this site, so the
    request neither needs an email nor tells anyone which accounts have passkeys."""
    party = relying_party()
    challenge = challenges.challenge_issue(
        purpose=challenges.LOGIN, user_id=None, seconds=party.challenge_seconds
    )
    options = generate_authentication_options(
        rp_id=party.id,
        challenge=challenge,
        timeout=party.challenge_seconds * 1000,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json_dict(options)


def passkey_authenticate(*, credential: dict[str, Any]) -> User:
    """The person whose passkey signed this site's challenge, or a 401 error.

    The challenge is spent before anything else is checked: a refused answer cannot be
    retried, and a replayed one finds no challenge.
    """
    challenge = challenges.challenge_take(value=challenge_of(credential))
    if challenge is None or challenge.purpose != challenges.LOGIN:
        raise refused("This sign-in request has expired or was already used; start again.")
    passkey = (
        Passkey.objects.select_related("user")
        .filter(credential_key=credential_key(raw_id_of(credential)))
        .first()
    )
    if passkey is None or not passkey.is_active:
        log.warning("passkey_login_unknown_credential", revoked=passkey is not None)
        raise refused("This passkey is not registered here, or it was revoked.")
    handle = user_handle_of(credential)
    if handle is not None and handle != passkey.user.uuid.bytes:
        log.warning("passkey_login_user_mismatch", passkey=str(passkey.uuid))
        raise refused()
    party = relying_party()
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge.value,
            expected_rp_id=party.id,
            expected_origin=list(party.origins),
            credential_public_key=bytes(passkey.public_key),
            # The counter is compared below, after the signature proved the answer genuine,
            # so that only a genuine answer with a counter gone back flags the passkey.
            credential_current_sign_count=0,
            require_user_verification=True,
        )
    except MALFORMED as exc:
        log.warning("passkey_login_refused", passkey=str(passkey.uuid), reason=str(exc))
        raise refused() from exc
    if not _record_use(passkey_id=passkey.pk, new_sign_count=verified.new_sign_count):
        raise refused(
            "This passkey looks copied to another device, so it was switched off. Sign in "
            "with your password and register a new passkey."
        )
    user = passkey.user
    principal = principal_for_user(user)
    if principal is None or principal.role not in PASSKEY_ROLES:
        log.warning("passkey_login_account_closed", user=str(user.uuid))
        raise refused("This account may not sign in with a passkey.")
    update_last_login(type(user), user)
    log.info("passkey_login", user=str(user.uuid), passkey=str(passkey.uuid))
    return user


def _record_use(*, passkey_id: int, new_sign_count: int) -> bool:
    """Store the new signature counter; False (and the passkey switched off) when it went back.

    Authenticators that count (most security keys) must count up; a counter at or below the
    stored one means two devices hold the same private key. Synced passkeys report 0 always.
    """
    with transaction.atomic():
        passkey = Passkey.objects.select_for_update().get(pk=passkey_id)
        if not passkey.is_active:
            return False
        stored = passkey.sign_count
        if (new_sign_count > 0 or stored > 0) and new_sign_count <= stored:
            passkey.revoked_at = timezone.now()
            passkey.revoked_reason = RevokedReason.CLONE_SUSPECTED
            passkey.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
            log.error(
                "passkey_clone_suspected",
                passkey=str(passkey.uuid),
                user_id=passkey.user_id,
                stored_sign_count=stored,
                new_sign_count=new_sign_count,
            )
            return False
        passkey.sign_count = new_sign_count
        passkey.last_used_at = timezone.now()
        passkey.save(update_fields=["sign_count", "last_used_at", "updated_at"])
        return True


@transaction.atomic
def passkey_revoke(*, passkey: Passkey) -> Passkey:
    if passkey.is_active:
        passkey.revoked_at = timezone.now()
        passkey.revoked_reason = RevokedReason.BY_USER
        passkey.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
        log.info("passkey_revoked", user_id=passkey.user_id, passkey=str(passkey.uuid))
    return passkey
