"""OAuth2 bearer tokens for terminals, integrations and third-party apps.

A client-credentials token has no user; django-oauth-toolkit then leaves ``request.user`` as
``None``. Here such a token is accepted only when its application belongs to a live terminal,
which becomes the principal (its own store, sync rights only). Tokens issued through the
authorization-code flow carry the user who consented and are scoped like that user.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication


class TerminalUser:
    """Stands in for ``request.user`` when a terminal calls; it is authenticated, not staff."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, terminal: Any) -> None:
        self.terminal = terminal
        self.pk = None
        self.id = None

    def __str__(self) -> str:
        return f"terminal {self.terminal.uuid}"


class OAuth2PrincipalAuthentication(OAuth2Authentication):
    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if user is not None:
            return user, token
        from cloud_api.accounts.selectors import terminal_for_application

        terminal = terminal_for_application(application_id=token.application_id)
        if terminal is None:
            raise exceptions.AuthenticationFailed("This client is not an enrolled terminal.")
        if terminal.revoked_at is not None or not terminal.store.active:
            # The till keeps selling offline; this message is what it shows the manager.
            when = terminal.revoked_at.date().isoformat() if terminal.revoked_at else "-"
            raise exceptions.AuthenticationFailed(
                f"This till was disconnected by head office on {when}.", code="terminal_revoked"
            )
        token.asiria_terminal = terminal
        return TerminalUser(terminal), token


class UserJWTAuthentication(JWTAuthentication):
    """simplejwt, but it leaves non-JWT bearer tokens (OAuth2 ones) to the next class instead
    of rejecting them: both kinds arrive as ``Authorization: Bearer ...``."""

    def get_raw_token(self, header: bytes) -> bytes | None:
        raw = super().get_raw_token(header)
        if raw is not None and raw.count(b".") != 2:
            return None
        return raw
