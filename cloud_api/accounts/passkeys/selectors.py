from __future__ import annotations

from django.db.models import QuerySet

from cloud_api.accounts.models import User
from cloud_api.accounts.passkeys.models import Passkey


def passkey_list(*, user: User) -> QuerySet[Passkey]:
    """A person's passkeys that still work (revoked ones are kept for the record only)."""
    return Passkey.objects.filter(user=user, revoked_at__isnull=True).order_by("created_at")
