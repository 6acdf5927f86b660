"""Admin for head office: people see their own organisation only; superusers see all.

Owners and head office browse, search and filter (read-only); changes go through the API,
whose services keep the business rules. Only superusers (the platform's operators) edit here,
so no admin form can offer another organisation's rows in a drop-down.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

BROWSING_ROLES = {"owner", "head_office"}


def may_browse(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and (
        user.is_superuser or (user.is_staff and getattr(user, "role", "") in BROWSING_ROLES)
    )


def organisation_path(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to its organisation's id, or None when there is none."""
    if model._meta.label == "accounts.Organisation":
        return "pk"
    names = {field.name for field in model._meta.get_fields()}
    if "organisation" in names:
        return "organisation_id"
    if "store" in names:
        return "store__organisation_id"
    if "sale" in names:
        return "sale__organisation_id"
    return None


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A filter on a relation offers only the related rows of the user's own organisation,
    so the sidebar of one organisation never lists another's stores, people or suppliers."""

    def field_choices(self, field: Any, request: Any, model_admin: Any) -> Any:
        ordering = self.field_admin_ordering(field, request, model_admin)
        if request.user.is_superuser:
            return field.get_choices(include_blank=False, ordering=ordering)
        related_model = field.remote_field.model
        path = organisation_path(related_model)
        organisation_id = getattr(request.user, "organisation_id", None)
        if organisation_id is None:
            return []
        if path is None:  # no organisation of its own: only the values the user's rows use
            used = model_admin.get_queryset(request).values_list(field.name, flat=True)
            scope = models.Q(pk__in=used)
        else:
            scope = models.Q(**{path: organisation_id})
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=scope)


class BrowseOnlyPermissions:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_browse(request)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return may_browse(request)

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return bool(request.user.is_superuser)


class ScopedListFilters:
    """Every filter on a relation in ``list_filter`` becomes a ScopedRelatedFieldListFilter."""

    model: type[models.Model]

    def get_list_filter(self, request: Any) -> Any:
        scoped: list[Any] = []
        for entry in super().get_list_filter(request):  # type: ignore[misc]
            if isinstance(entry, str) and "__" not in entry:
                field = self.model._meta.get_field(entry)
                if field.is_relation:
                    entry = (entry, ScopedRelatedFieldListFilter)
            scoped.append(entry)
        return scoped


class OrganisationScopedAdmin(ScopedListFilters, BrowseOnlyPermissions, admin.ModelAdmin):
    organisation_path = "organisation"
    # Stored field -> the read-only display shown in its place to people who only browse
    # ("price_cents" -> "price": KES 80.00); operators who edit get the stored field.
    shown_instead: dict[str, str] = {}

    def get_fields(self, request: HttpRequest, obj: models.Model | None = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if not self.shown_instead:
            return fields
        if self.has_change_permission(request, obj):
            return [name for name in fields if name not in self.shown_instead.values()]
        shown: list[Any] = []  # field names, or groups of them on one row
        for field in fields:
            name = self.shown_instead.get(field, field) if isinstance(field, str) else field
            if name not in shown:
                shown.append(name)
        return shown

    def get_queryset(self, request: Any) -> models.QuerySet[Any]:
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

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class ReadOnlyInline:
    """Rows shown inside their parent's page (a sale's lines, a payment's history): whoever may
    browse the parent sees them; nobody adds, edits or deletes them here."""

    extra = 0
    can_delete = False

    class Media:
        css = {"all": ["asiria/admin.css"]}

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return may_browse(request)

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False
