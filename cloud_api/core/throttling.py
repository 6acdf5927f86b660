"""Rate limits kept in Redis (the default cache): per user, per terminal, anonymous, login."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.throttling import SimpleRateThrottle

from cloud_api.core.principal import TERMINAL, principal_of

if TYPE_CHECKING:  # DRF's settings import this module while rest_framework.views loads
    from rest_framework.request import Request
    from rest_framework.views import APIView


class AnonymousThrottle(SimpleRateThrottle):
    scope = "anon"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if principal_of(request) is not None or getattr(request, "auth", None) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(SimpleRateThrottle):
    scope = "user"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        principal = principal_of(request)
        if principal is None or principal.user is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": principal.user.pk}


class TerminalThrottle(SimpleRateThrottle):
    scope = "terminal"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        principal = principal_of(request)
        if principal is None or principal.role != TERMINAL or principal.terminal is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": principal.terminal.pk}


class LoginThrottle(SimpleRateThrottle):
    """Stricter: keyed by client address, so guessing many accounts from one place is slow."""

    scope = "login"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class OAuthTokenThrottle(SimpleRateThrottle):
    """``/o/token/`` by client address: client secrets cannot be tried at speed."""

    scope = "oauth_token"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
