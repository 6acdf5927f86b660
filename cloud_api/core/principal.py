"""Who is calling: a user (by role) or a till terminal, and which organisation/store it sees.

Every selector takes a :class:`Principal`; this is the single place that decides scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet
from rest_framework.exceptions import PermissionDenied

if TYPE_CHECKING:
    from cloud_api.accounts.models import Terminal, User

OWNER, MANAGER, CASHIER, HEAD_OFFICE, TERMINAL = (
    "owner",
    "manager",
    "cashier",
    "head_office",
    "terminal",
)
STORE_BOUND_ROLES = frozenset({MANAGER, CASHIER, TERMINAL})
ALL_ROLES = frozenset({OWNER, MANAGER, CASHIER, HEAD_OFFICE, TERMINAL})
USER_ROLES = frozenset({OWNER, MANAGER, CASHIER, HEAD_OFFICE})

_Row = TypeVar("_Row", bound=Model)


@dataclass(frozen=True)
class Principal:
    role: str
    organisation_id: int
    store_id: int | None  # None: every store of the organisation
    user: User | None = None
    terminal: Terminal | None = None

    def calling_terminal(self) -> Terminal:
        """The till calling an endpoint that only terminals may call (the role check passed)."""
        if self.terminal is None:
            raise PermissionDenied("Only an enrolled till may do this.")
        return self.terminal

    def calling_user(self) -> User:
        """The person calling an endpoint that only people may call (the role check passed)."""
        if self.user is None:
            raise PermissionDenied("Only a signed-in person may do this.")
        return self.user

    @property
    def is_store_bound(self) -> bool:
        return self.role in STORE_BOUND_ROLES

    @property
    def log_name(self) -> str:
        if self.terminal is not None:
            return f"terminal:{self.terminal.uuid}"
        return f"user:{self.user.uuid}" if self.user is not None else "anonymous"

    def scope_stores(self, queryset: QuerySet[_Row], field: str = "store_id") -> QuerySet[_Row]:
        """Limit a queryset to the stores this principal may see."""
        if self.store_id is None:
            return queryset
        return queryset.filter(**{field: self.store_id})


def principal_for_user(user: User) -> Principal | None:
    if not user.is_active or user.organisation_id is None or not user.role:
        return None
    store_id = user.store_id if user.role in STORE_BOUND_ROLES else None
    if user.role in STORE_BOUND_ROLES and store_id is None:
        return None  # a store-bound account without a store may see nothing
    return Principal(
        role=user.role, organisation_id=user.organisation_id, store_id=store_id, user=user
    )


def principal_for_terminal(terminal: Terminal) -> Principal:
    return Principal(
        role=TERMINAL,
        organisation_id=terminal.store.organisation_id,
        store_id=terminal.store_id,
        terminal=terminal,
    )


def principal_of(request: Any) -> Principal | None:
    """The principal of a DRF request (cached on the underlying Django request)."""
    django_request = getattr(request, "_request", request)
    if hasattr(django_request, "asiria_principal"):
        cached: Principal | None = django_request.asiria_principal
        return cached
    principal: Principal | None = None
    auth = getattr(request, "auth", None)
    terminal = getattr(auth, "asiria_terminal", None)
    if terminal is not None:
        principal = principal_for_terminal(terminal)
    else:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            principal = principal_for_user(user)
    django_request.asiria_principal = principal
    return principal
