"""People of an organisation: accounts, roles, passwords, and ending their sessions when their
credentials change."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from cloud_api.accounts import login_guard
from cloud_api.accounts.models import Organisation, Role, Store, User
from cloud_api.accounts.pins import pin_hash, pin_is_valid
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.core.principal import MANAGER, OWNER, Principal
from cloud_api.sync.services import changes_record

STORE_BOUND = {Role.MANAGER, Role.CASHIER}


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
