"""Base classes for the API: principal-scoped viewsets addressed by UUID."""

from __future__ import annotations

from typing import Any, TypeVar, overload
from uuid import UUID

from django.db.models import Model, QuerySet
from rest_framework import viewsets
from rest_framework.exceptions import NotAuthenticated, ValidationError

from cloud_api.core.principal import Principal, principal_of

UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


class PrincipalMixin:
    request: Any

    @property
    def principal(self) -> Principal:
        principal = principal_of(self.request)
        if principal is None:  # permissions run first; this is a guard, not a code path
            raise NotAuthenticated()
        return principal


class ScopedViewSet(PrincipalMixin, viewsets.GenericViewSet):
    """Objects are named by their UUID (``id`` on the wire); anything out of scope is a 404."""

    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN


M = TypeVar("M", bound=Model)


@overload
def resolve(queryset: QuerySet[M], value: UUID, field: str, label: str) -> M: ...
@overload
def resolve(queryset: QuerySet[M], value: UUID | None, field: str, label: str) -> M | None: ...
def resolve(queryset: QuerySet[M], value: UUID | None, field: str, label: str) -> M | None:
    """Turn a UUID from the request into a row the caller may see, or a 400 on that field."""
    if value is None:
        return None
    obj = queryset.filter(uuid=value).first()
    if obj is None:
        raise ValidationError({field: [f"Unknown {label}."]})
    return obj
