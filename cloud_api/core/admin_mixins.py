"""Admin for head office: people see their own organisation only; superusers see all."""

from __future__ import annotations

from typing import Any

from django.contrib import admin


class OrganisationScopedAdmin(admin.ModelAdmin):
    organisation_path = "organisation"

    def get_queryset(self, request: Any) -> Any:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        organisation_id = getattr(request.user, "organisation_id", None)
        if organisation_id is None:
            return queryset.none()
        return queryset.filter(**{f"{self.organisation_path}_id": organisation_id})


class ReadOnlyAdmin(OrganisationScopedAdmin):
    """Records of what happened (sales, payments, movements) are never edited by hand."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
