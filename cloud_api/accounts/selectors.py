"""Reads for accounts, always scoped by the caller's principal."""

from __future__ import annotations

from django.db.models import QuerySet

from cloud_api.accounts.models import Organisation, Store, Terminal, User
from cloud_api.core.principal import Principal


def store_list(*, principal: Principal) -> QuerySet[Store]:
    stores = Store.objects.filter(organisation_id=principal.organisation_id)
    return principal.scope_stores(stores, "pk").order_by("code")


def store_get(*, principal: Principal, store_uuid) -> Store | None:
    return store_list(principal=principal).filter(uuid=store_uuid).first()


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
        .filter(application_id=application_id, revoked_at__isnull=True, store__active=True)
        .first()
    )


def organisation_of(*, principal: Principal) -> Organisation:
    return Organisation.objects.get(pk=principal.organisation_id)
