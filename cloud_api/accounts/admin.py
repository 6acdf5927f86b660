from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from cloud_api.accounts.models import Organisation, Store, Terminal, User
from cloud_api.core.admin_mixins import (
    BrowseOnlyPermissions,
    OrganisationScopedAdmin,
    ScopedListFilters,
)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = "pk"

    list_display = ["name", "time_zone", "currency", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["uuid"]


@admin.register(Store)
class StoreAdmin(OrganisationScopedAdmin):
    list_display = ["name", "code", "organisation", "active"]
    list_filter = ["active", "organisation"]
    search_fields = ["name", "code"]
    readonly_fields = ["uuid"]


@admin.register(User)
class UserAdmin(ScopedListFilters, BrowseOnlyPermissions, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["name", "email", "role", "organisation", "store", "is_active"]
    list_select_related = ["organisation", "store"]
    list_filter = ["role", "is_active", "organisation", "store"]
    search_fields = ["email", "name"]
    readonly_fields = ["uuid", "pin_hash", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["uuid", "email", "password", "name"]}),
        ("Place", {"fields": ["organisation", "store", "role", "pin_hash"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "email",
                    "name",
                    "organisation",
                    "store",
                    "role",
                    "password1",
                    "password2",
                ]
            },
        )
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation_id=getattr(request.user, "organisation_id", None))


@admin.register(Terminal)
class TerminalAdmin(OrganisationScopedAdmin):
    organisation_path = "store__organisation"
    list_display = [
        "name",
        "store",
        "code",
        "status",
        "enrolled_at",
        "revoked_at",
        "last_push_at",
        "last_pull_at",
    ]
    list_select_related = ["store"]
    list_filter = ["store"]
    search_fields = ["name", "code", "uuid"]
    readonly_fields = [
        "uuid",
        "application",
        "enrollment_code_hash",
        "enrolled_at",
        "last_push_at",
        "last_pull_at",
        "last_pull_cursor",
    ]


from cloud_api.accounts.passkeys import admin as passkey_admin  # noqa: E402, F401  (registers it)
