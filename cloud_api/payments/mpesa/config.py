"""Per-store M-Pesa set-up, the pass key's encryption at rest, and the public callback URLs."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from cloud_api.accounts.models import Store
from cloud_api.core.errors import ApplicationError
from cloud_api.payments.models import MpesaShortcodeKind, MpesaStoreConfig


def _fernet() -> Fernet:
    key = settings.MPESA_ENCRYPTION_KEY
    if not key:
        # No key of its own: one derived from SECRET_KEY (rotating SECRET_KEY then means
        # entering the pass keys again; set ASIRIA_MPESA_ENCRYPTION_KEY to keep them apart).
        digest = hashlib.sha256(f"asiria-mpesa-passkey:{settings.SECRET_KEY}".encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def passkey_encrypt(passkey: str) -> str:
    return _fernet().encrypt(passkey.encode()).decode()


def passkey_of(config: MpesaStoreConfig) -> str:
    try:
        return _fernet().decrypt(config.passkey_encrypted.encode()).decode()
    except InvalidToken as exc:
        raise ApplicationError(
            "This store's M-Pesa pass key cannot be read; enter it again in the admin.",
            code="mpesa_not_configured",
        ) from exc


@transaction.atomic
def mpesa_config_set(
    *, store: Store, kind: str, shortcode: str, passkey: str, till_number: str = ""
) -> MpesaStoreConfig:
    if kind not in MpesaShortcodeKind.values:
        raise ApplicationError("Choose pay bill or buy goods.", fields={"kind": ["Unknown kind."]})
    if not shortcode.isdigit() or (till_number and not till_number.isdigit()):
        raise ApplicationError("Shortcodes and till numbers are digits only.")
    config, _ = MpesaStoreConfig.objects.update_or_create(
        store=store,
        defaults={
            "kind": kind,
            "shortcode": shortcode,
            "till_number": till_number,
            "passkey_encrypted": passkey_encrypt(passkey),
            "active": True,
        },
    )
    return config


def config_for(store: Store) -> MpesaStoreConfig:
    config = MpesaStoreConfig.objects.filter(store=store, active=True).first()
    if config is None:
        raise ApplicationError(
            "M-Pesa prompts are not set up for this store; ask the owner to enter its shortcode.",
            code="mpesa_not_configured",
        )
    return config


def secret_matches(candidate: str) -> bool:
    secret = settings.MPESA_CALLBACK_SECRET
    return bool(secret) and hmac.compare_digest(candidate.encode(), secret.encode())


def callback_url(name: str) -> str:
    """The public URL Daraja is given for one of our callback views."""
    path = reverse(name, kwargs={"secret": settings.MPESA_CALLBACK_SECRET or "unset"})
    return f"{settings.MPESA_CALLBACK_BASE_URL}{path}"
