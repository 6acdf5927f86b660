from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from cloud_api.accounts.backends import locked_seconds
from cloud_api.accounts.login_guard import SignInLocked


class EmailTokenObtainSerializer(TokenObtainPairSerializer):
    """Emails are stored lower-case; accept any case at login."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        attrs[self.username_field] = str(attrs.get(self.username_field, "")).strip().lower()
        try:
            return super().validate(attrs)
        except exceptions.AuthenticationFailed:
            wait = locked_seconds(self.context.get("request"))
            if wait:
                raise SignInLocked(wait=wait) from None
            raise
