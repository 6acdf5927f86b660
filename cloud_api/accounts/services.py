"""Writes for organisations, stores, users and terminals."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from cloud_api.accounts import login_guard
from cloud_api.accounts.models import Organisation, Role, Store, Terminal, User
from cloud_api.accounts.pins import pin_hash, pin_is_valid
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.core.principal import MANAGER, OWNER, Principal
from cloud_api.sync.services import changes_record

STORE_BOUND = {Role.MANAGER, Role.CASHIER}
ENROLLMENT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over a phone


def _check_time_zone(time_zone: str) -> None:
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ApplicationError(
            f"Unknown time zone {time_zone!r}.", fields={"time_zone": ["Unknown time zone."]}
        ) from exc


@transaction.atomic
def organisation_create(
    *, name: str, time_zone: str = "Africa/Nairobi", currency: str = "KES"
) -> Organisation:
    from cloud_api.catalog.services import tax_classes_ensure_defaults

    _check_time_zone(time_zone)
    if Organisation.objects.filter(name=name).exists():
        raise ConflictError("An organisation with this name exists.", fields={"name": ["taken"]})
    organisation = Organisation.objects.create(
        name=name, time_zone=time_zone, currency=currency.upper()
    )
    tax_classes_ensure_defaults(organisation=organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, name: str | None = None, time_zone: str | None = None
) -> Organisation:
    """Rename, or move to another time zone (which dates sales from then on; sales already
    stored keep their business date). The currency is fixed once chosen: amounts are stored
    without one."""
    if name is not None and name != organisation.name:
        if Organisation.objects.filter(name=name).exclude(pk=organisation.pk).exists():
            raise ConflictError(
                "An organisation with this name exists.", fields={"name": ["taken"]}
            )
        organisation.name = name
    if time_zone is not None:
        _check_time_zone(time_zone)
        organisation.time_zone = time_zone
    organisation.save()
    # Tills show their store with the organisation's currency and time zone: resend them.
    for store_id, store_uuid in Store.objects.filter(organisation=organisation).values_list(
        "pk", "uuid"
    ):
        changes_record(
            organisation_id=organisation.pk,
            entity="store",
            entity_ids=[store_uuid],
            store_id=store_id,
        )
    return organisation


def _next_code(prefix: str, existing: list[str]) -> str:
    numbers = [int(code[len(prefix) :]) for code in existing if code[len(prefix) :].isdigit()]
    return f"{prefix}{(max(numbers, default=0) + 1):02d}"


@transaction.atomic
def store_create(
    *,
    organisation: Organisation,
    name: str,
    code: str = "",
    address: str = "",
    tax_pin: str = "",
    phone: str = "",
    receipt_footer: str = "",
) -> Store:
    if Store.objects.filter(organisation=organisation, name=name).exists():
        raise ConflictError("A store with this name exists.", fields={"name": ["Already used."]})
    existing = list(
        Store.objects.select_for_update()
        .filter(organisation=organisation)
        .values_list("code", flat=True)
    )
    code = code.upper() or _next_code("S", existing)
    if code in existing:
        raise ConflictError("A store with this code exists.", fields={"code": ["Already used."]})
    store = Store.objects.create(
        organisation=organisation,
        name=name,
        code=code,
        address=address,
        tax_pin=tax_pin,
        phone=phone,
        receipt_footer=receipt_footer,
    )
    changes_record(
        organisation_id=organisation.pk, entity="store", entity_ids=[store.uuid], store_id=store.pk
    )
    return store


@transaction.atomic
def store_update(
    *,
    store: Store,
    name: str | None = None,
    address: str | None = None,
    tax_pin: str | None = None,
    phone: str | None = None,
    receipt_footer: str | None = None,
) -> Store:
    if name is not None and name != store.name:
        taken = Store.objects.filter(organisation_id=store.organisation_id, name=name)
        if taken.exists():
            raise ConflictError("A store with this name exists.", fields={"name": ["taken"]})
        store.name = name
    for field, value in (
        ("address", address),
        ("tax_pin", tax_pin),
        ("phone", phone),
        ("receipt_footer", receipt_footer),
    ):
        if value is not None:
            setattr(store, field, value)
    store.save()
    changes_record(
        organisation_id=store.organisation_id,
        entity="store",
        entity_ids=[store.uuid],
        store_id=store.pk,
    )
    return store


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ApplicationError(exc.messages[0], fields={"password": exc.messages}) from exc


@transaction.atomic
def user_create(
    *,
    actor: Principal | None,
    organisation: Organisation,
    name: str,
    email: str,
    role: str,
    password: str,
    store: Store | None = None,
    pin: str | None = None,
    is_staff: bool | None = None,
) -> User:
    """Create an account. A manager may only add cashiers to their own store."""
    if actor is not None and actor.role == MANAGER:
        if role != Role.CASHIER:
            raise ApplicationError(
                "A manager may only create cashiers.", fields={"role": ["Not allowed."]}
            )
        if store is not None and store.pk != actor.store_id:
            raise ApplicationError(
                "A manager may only add people to their own store.",
                fields={"store_id": ["Not your store."]},
            )
        store = Store.objects.get(pk=actor.store_id or 0)  # checked above: a manager's store
    if actor is not None and actor.role not in {OWNER, MANAGER}:
        raise ApplicationError("Your role may not create users.", status_code=403)
    if role in STORE_BOUND and store is None:
        raise ApplicationError(
            "Managers and cashiers belong to a store.", fields={"store_id": ["Required."]}
        )
    if role not in STORE_BOUND and store is not None:
        raise ApplicationError(
            "Owners and head office see every store; leave the store empty.",
            fields={"store_id": ["Must be empty for this role."]},
        )
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ConflictError("This email is already used.", fields={"email": ["Already used."]})
    if pin is not None and not pin_is_valid(pin):
        raise ApplicationError("A PIN is 4 to 8 digits.", fields={"pin": ["4 to 8 digits."]})
    user = User(
        email=email,
        name=name,
        role=role,
        organisation=organisation,
        store=store,
        # Owners and head office may browse the admin site (read-only, their organisation).
        is_staff=is_staff if is_staff is not None else role in {Role.OWNER, Role.HEAD_OFFICE},
    )
    _validate_password(password, user)
    user.set_password(password)
    if pin:
        user.pin_hash = pin_hash(pin)
    user.save()
    _user_changed(user)
    return user


@transaction.atomic
def user_update(
    *,
    actor: Principal | None,
    user: User,
    name: str | None = None,
    pin: str | None = None,
    password: str | None = None,
    is_active: bool | None = None,
    current_password: str | None = None,
    address: str = "-",
) -> User:
    """Change an account. A manager may change their cashiers and themselves only.

    Changing one's own password needs the current one (a borrowed, unlocked session must not
    be enough to take the account over); a new password ends the account's other sessions.
    """
    if (
        actor is not None
        and actor.role == MANAGER
        and user.role != Role.CASHIER
        and user.pk != getattr(actor.user, "pk", None)
    ):
        raise ApplicationError("A manager may only change cashiers.", status_code=403)
    if name is not None:
        user.name = name
    if pin is not None:
        if not pin_is_valid(pin):
            raise ApplicationError("A PIN is 4 to 8 digits.", fields={"pin": ["4 to 8 digits."]})
        user.pin_hash = pin_hash(pin)
    if password is not None:
        if actor is not None and actor.user is not None and actor.user.pk == user.pk:
            _check_current_password(user, current_password, address)
        _validate_password(password, user)
        user.set_password(password)
    if is_active is not None:
        user.is_active = is_active
    user.save()
    _user_changed(user)
    return user


def _check_current_password(user: User, current_password: str | None, address: str) -> None:
    if not current_password:
        raise ApplicationError(
            "Give your current password to set a new one.",
            fields={"current_password": ["Required to change your own password."]},
        )
    if not login_guard.password_confirmed(
        email=user.email, password=current_password, check=user.check_password, address=address
    ):
        raise ApplicationError(
            "Your current password is not right.",
            fields={"current_password": ["Not your current password."]},
        )


def user_sessions_end(*, user: User) -> None:
    """Blacklist the account's outstanding refresh tokens and revoke its OAuth2 tokens."""
    from oauth2_provider.models import get_access_token_model, get_refresh_token_model
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    outstanding = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    get_refresh_token_model().objects.filter(user=user, revoked__isnull=True).update(
        revoked=timezone.now(), access_token=None
    )
    get_access_token_model().objects.filter(user=user).delete()


def _user_changed(user: User) -> None:
    """Tills pull their store's people (and the owners, who may sign in anywhere)."""
    if user.organisation_id is not None:
        changes_record(
            organisation_id=user.organisation_id,
            entity="user",
            entity_ids=[user.uuid],
            store_id=user.store_id,
        )


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
        code=_next_code("T", existing),
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


@transaction.atomic
def organisation_bootstrap(
    *,
    organisation_name: str,
    store_name: str,
    owner_email: str,
    owner_password: str,
    owner_name: str = "",
    time_zone: str = "Africa/Nairobi",
    currency: str = "KES",
) -> tuple[Organisation, Store, User, list[str]]:
    """Create organisation, first store and owner; re-running changes nothing that exists."""
    from cloud_api.catalog.services import tax_classes_ensure_defaults

    created: list[str] = []
    organisation = Organisation.objects.filter(name=organisation_name).first()
    if organisation is None:
        organisation = organisation_create(
            name=organisation_name, time_zone=time_zone, currency=currency
        )
        created.append("organisation")
    tax_classes_ensure_defaults(organisation=organisation)
    store = Store.objects.filter(organisation=organisation, name=store_name).first()
    if store is None:
        store = store_create(organisation=organisation, name=store_name)
        created.append("store")
    owner = User.objects.filter(email__iexact=owner_email.strip()).first()
    if owner is None:
        owner = user_create(
            actor=None,
            organisation=organisation,
            name=owner_name or owner_email.split("@")[0],
            email=owner_email,
            role=Role.OWNER,
            password=owner_password,
            is_staff=True,
        )
        created.append("owner")
    elif owner.organisation_id != organisation.pk:
        raise ConflictError(f"{owner_email} already belongs to another organisation.")
    return organisation, store, owner, created
