"""Organisations and their stores: create, change, and the first start (organisation, store and
owner in one step)."""

from __future__ import annotations

import zoneinfo

from django.db import transaction

from cloud_api.accounts.models import Organisation, Role, Store, User
from cloud_api.accounts.services.people import user_create
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.sync.services import changes_record


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


def next_code(prefix: str, existing: list[str]) -> str:
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
    code = code.upper() or next_code("S", existing)
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
