"""Till terminals: one-time enrolment codes read aloud over a phone, enrolment into an OAuth2
client, new codes and revocation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from cloud_api.accounts.models import Store, Terminal, User
from cloud_api.accounts.services.organisations import next_code
from cloud_api.core.errors import ApplicationError

ENROLLMENT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over a phone


def _enrollment_code() -> str:
    raw = "".join(secrets.choice(ENROLLMENT_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def enrollment_code_hash(code: str) -> str:
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


@transaction.atomic
def terminal_create(*, store: Store, name: str, created_by: User | None) -> tuple[Terminal, str]:
    """A terminal waiting for enrolment, with its one-time code (returned once, kept hashed)."""
    existing = list(
        Terminal.objects.select_for_update().filter(store=store).values_list("code", flat=True)
    )
    code = _enrollment_code()
    minutes = settings.ASIRIA_ENROLLMENT_MINUTES
    terminal = Terminal.objects.create(
        store=store,
        name=name,
        code=next_code("T", existing),
        enrollment_code_hash=enrollment_code_hash(code),
        enrollment_expires_at=timezone.now() + timedelta(minutes=minutes),
        created_by=created_by,
    )
    return terminal, code


@transaction.atomic
def terminal_new_code(*, terminal: Terminal) -> tuple[Terminal, str]:
    """A fresh one-time code for an existing terminal (a replaced till, a lost keyring, or
    taking back a revoked one). Its current credentials keep working until the code is used."""
    code = _enrollment_code()
    terminal.enrollment_code_hash = enrollment_code_hash(code)
    terminal.enrollment_expires_at = timezone.now() + timedelta(
        minutes=settings.ASIRIA_ENROLLMENT_MINUTES
    )
    terminal.save()
    return terminal, code


@transaction.atomic
def terminal_enroll(*, code: str, name: str) -> tuple[Terminal, str, str]:
    """Trade a live enrolment code for OAuth2 client credentials (id, plain secret).

    Re-enrolling a terminal replaces its OAuth2 client: the old secret and its tokens stop
    working, and a revoked terminal is live again.
    """
    terminal = (
        Terminal.objects.select_for_update()
        .select_related("store", "store__organisation")
        .filter(
            enrollment_code_hash=enrollment_code_hash(code),
            enrollment_expires_at__gt=timezone.now(),
        )
        .first()
    )
    if terminal is None:
        raise ApplicationError(
            "This enrolment code is unknown, used or expired; ask a manager for a new one.",
            fields={"code": ["Unknown, used or expired."]},
        )
    application_model = get_application_model()
    if terminal.application_id is not None:
        application_model.objects.filter(pk=terminal.application_id).delete()  # tokens cascade
    secret = generate_client_secret()
    application = application_model.objects.create(
        name=f"terminal {terminal.uuid}",
        client_type=application_model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application_model.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,  # hashed on save; the plain value is returned once
    )
    terminal.application = application
    terminal.name = name or terminal.name
    terminal.enrolled_at = timezone.now()
    terminal.revoked_at = None
    terminal.enrollment_code_hash = ""
    terminal.save()
    return terminal, application.client_id, secret


@transaction.atomic
def terminal_revoke(*, terminal: Terminal) -> Terminal:
    """Stop a terminal from syncing, at once.

    Its tokens stay in the table on purpose: every call made with them (or with new ones)
    answers 401 ``terminal_revoked`` with the date, which the till shows the manager while it
    keeps selling offline. A manager takes it back with a new code (``terminal_new_code``).
    """
    if terminal.revoked_at is None:
        terminal.revoked_at = timezone.now()
        terminal.enrollment_code_hash = ""
        # Only these: a stale copy must not write back an older OAuth2 client link.
        terminal.save(update_fields=["revoked_at", "enrollment_code_hash", "updated_at"])
    return terminal
