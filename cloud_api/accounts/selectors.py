"""Reads for accounts, always scoped by the caller's principal."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet

from cloud_api.accounts.models import Organisation, Store, Terminal, User
from cloud_api.core.errors import ApplicationError
from cloud_api.core.principal import Principal


def store_list(*, principal: Principal) -> QuerySet[Store]:
    stores = Store.objects.filter(organisation_id=principal.organisation_id)
    return principal.scope_stores(stores, "pk").order_by("code")


def store_get(*, principal: Principal, store_uuid: UUID | str) -> Store | None:
    return store_list(principal=principal).filter(uuid=store_uuid).first()


def store_for_write(*, principal: Principal, store_uuid: UUID | None, question: str) -> Store:
    """The store a write is for: the caller's own when store-bound (and none given), else the
    given one if the caller may see it. ``question`` is asked when no store can be inferred."""
    stores = store_list(principal=principal)
    if store_uuid is None:
        if principal.store_id is None:
            raise ApplicationError(question, fields={"store_id": ["Required."]})
        return stores.get(pk=principal.store_id)
    store = stores.filter(uuid=store_uuid).first()
    if store is None:
        raise ApplicationError("Unknown store.", fields={"store_id": ["Unknown store."]})
    return store


def user_list(*, principal: Principal) -> QuerySet[User]:
    users = User.objects.filter(organisation_id=principal.organisation_id).select_related("store")
    return principal.scope_stores(users).order_by("email")


def terminal_list(*, principal: Principal) -> QuerySet[Terminal]:
    terminals = Terminal.objects.filter(
        store__organisation_id=principal.organisation_id
    ).select_related("store")
    return principal.scope_stores(terminals).order_by("store__code", "code")


def terminal_for_application(*, application_id: int) -> Terminal | None:
    return (
        Terminal.objects.select_related("store", "store__organisation")
        .filter(application_id=application_id)
        .first()
    )


def organisation_of(*, principal: Principal) -> Organisation:
    return Organisation.objects.get(pk=principal.organisation_id)
