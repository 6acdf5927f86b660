"""Admin for head office: people see their own organisation only; superusers see all.

Owners and head office browse, search and filter (read-only); changes go through the API,
whose services keep the business rules. Only superusers (the platform's operators) edit here,
so no admin form can offer another organisation's rows in a drop-down.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

BROWSING_ROLES = {"owner", "head_office"}


def may_browse(request: Any) -> bool:
    user = request.user
    return user.is_active and (
        user.is_superuser or (user.is_staff and getattr(user, "role", "") in BROWSING_ROLES)
    )


class BrowseOnlyPermissions:
    def has_module_permission(self, request: Any) -> bool:
        return may_browse(request)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return may_browse(request)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_superuser


class OrganisationScopedAdmin(BrowseOnlyPermissions, admin.ModelAdmin):
    organisation_path = "organisation"

    def get_queryset(self, request: Any) -> Any:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        organisation_id = getattr(request.user, "organisation_id", None)
        if organisation_id is None:
            return queryset.none()
        path = self.organisation_path
        field = "pk" if path == "pk" else f"{path}_id"
        return queryset.filter(**{field: organisation_id})


class ReadOnlyAdmin(OrganisationScopedAdmin):
    """Records of what happened (sales, payments, movements) are never edited by hand."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
