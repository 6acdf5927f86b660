"""Passkeys in the admin: the passkey button on the login page, and "My passkeys".

Owners and head office (the admin's browsing roles) see and revoke their own passkeys and add
one on the device they are using; operators (superusers) see everyone's, to revoke a lost one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cloud_api.accounts.passkeys.authentication import passkey_revoke
from cloud_api.accounts.passkeys.models import Passkey
from cloud_api.core.admin_mixins import may_browse

if TYPE_CHECKING:
    from django.contrib.admin.options import _ListDisplayT

admin.site.login_template = "admin/passkey_login.html"


@admin.register(Passkey)
class PasskeyAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at", "backed_up", "state"]
    search_fields = ["name"]
    ordering = ["-created_at"]
    actions = ["revoke"]
    readonly_fields = [
        "uuid",
        "user",
        "name",
        "aaguid",
        "transports",
        "sign_count",
        "backed_up",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_reason",
    ]
    exclude = ["credential_id", "public_key"]

    @admin.display(description="State")
    def state(self, passkey: Passkey) -> str:
        if passkey.is_active:
            return "active"
        return passkey.get_revoked_reason_display() or "revoked"

    def get_list_display(self, request: HttpRequest) -> _ListDisplayT[Passkey]:
        if request.user.is_superuser:
            return self.list_display
        return [column for column in self.list_display if column != "user"]  # always oneself

    def get_queryset(self, request: HttpRequest) -> QuerySet[Passkey]:
        queryset = super().get_queryset(request).select_related("user")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user=request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_browse(request)

    def has_view_permission(self, request: HttpRequest, obj: Passkey | None = None) -> bool:
        return may_browse(request)

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return may_browse(request)

    # Passkeys are added by the browser ceremony on the list page, never typed in; revoking
    # keeps the row, so the record of which key was used when survives.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Passkey | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Passkey | None = None) -> bool:
        return False

    @admin.action(description="Revoke the selected passkeys", permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Passkey]) -> None:
        count = 0
        for passkey in queryset.filter(revoked_at__isnull=True):
            passkey_revoke(passkey=passkey)
            count += 1
        self.message_user(request, f"{count} passkey(s) revoked.", messages.SUCCESS)
