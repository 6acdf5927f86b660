"""Role and OAuth2 scope checks: each view lists which roles may run each action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import SAFE_METHODS, BasePermission

from cloud_api.core.principal import principal_of

if TYPE_CHECKING:  # DRF's settings import this module while rest_framework.views loads
    from rest_framework.request import Request
    from rest_framework.views import APIView

READ, WRITE, SYNC = "read", "write", "sync"


def required_scope(view: APIView, method: str) -> str:
    """The OAuth2 scope a call needs: the view's ``oauth_scope`` if it declares one (the sync
    endpoints: "sync"), else "read" for safe methods and "write" for the others."""
    declared: str | None = getattr(view, "oauth_scope", None)
    if declared:
        return declared
    return READ if method in SAFE_METHODS else WRITE


class HasRole(BasePermission):
    """Allow a request when the caller's role is listed for the view's action and, for an
    OAuth2 token, when the token was granted the scope the call needs.

    Views declare ``roles = {"read": {...}, "write": {...}, "<action>": {...}}``; an action's
    own entry wins, else reads (safe methods) use "read" and everything else "write". Views
    that declare nothing are closed (a forgotten declaration must not open an endpoint).
    A JWT (a person signed in) carries every right of the person's role; an OAuth2 token only
    what its scopes allow, so a read-only integration cannot write even for an owner.
    """

    message = "Your role may not do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        principal = principal_of(request)
        if principal is None:
            return False
        method = request.method or ""  # always set on a request Django made
        if not _handles(view, method):
            return True  # DRF answers 405 Method Not Allowed, which is the truer answer
        roles: dict[str, frozenset[str] | set[str]] = getattr(view, "roles", {})
        action = getattr(view, "action", None)
        if action in roles:
            allowed = roles[action]
        else:
            allowed = roles.get("read" if method in SAFE_METHODS else "write", set())
        if principal.role not in allowed:
            return False
        scope = required_scope(view, method)
        if not token_allows(request.auth, scope):
            self.message = f"This token was not granted the '{scope}' scope this call needs."
            return False
        return True


def token_allows(token: object, scope: str) -> bool:
    """True for a JWT (no scopes: the role decides) or an OAuth2 token granted ``scope``."""
    from oauth2_provider.models import get_access_token_model

    if not isinstance(token, get_access_token_model()):
        return True
    return bool(token.allow_scopes([scope]))


def _handles(view: APIView, method: str) -> bool:
    action_map = getattr(view, "action_map", None)
    if action_map is not None:
        return method.lower() in action_map
    return method.lower() in view.http_method_names and hasattr(view, method.lower())


class Public(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return True
