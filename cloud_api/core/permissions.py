"""Role checks: each view lists which roles may run each action."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from cloud_api.core.principal import principal_of


class HasRole(BasePermission):
    """Allow a request when the caller's role is listed for the view's action.

    Views declare ``roles = {"read": {...}, "write": {...}, "<action>": {...}}``; an action's
    own entry wins, else reads (safe methods) use "read" and everything else "write". Views
    that declare nothing are closed (a forgotten declaration must not open an endpoint).
    """

    message = "Your role may not do this."

    def has_permission(self, request: Any, view: Any) -> bool:
        principal = principal_of(request)
        if principal is None:
            return False
        if not _handles(view, request.method):
            return True  # DRF answers 405 Method Not Allowed, which is the truer answer
        roles: dict[str, frozenset[str] | set[str]] = getattr(view, "roles", {})
        action = getattr(view, "action", None)
        if action in roles:
            allowed = roles[action]
        else:
            allowed = roles.get("read" if request.method in SAFE_METHODS else "write", set())
        return principal.role in allowed


def _handles(view: Any, method: str) -> bool:
    action_map = getattr(view, "action_map", None)
    if action_map is not None:
        return method.lower() in action_map
    return method.lower() in view.http_method_names and hasattr(view, method.lower())


class Public(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return True
