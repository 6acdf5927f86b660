from __future__ import annotations

from typing import Any

from rest_framework_simplejwt.serializers import TokenObtainPairSerializer


class EmailTokenObtainSerializer(TokenObtainPairSerializer):
    """Emails are stored lower-case; accept any case at login."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        attrs[self.username_field] = str(attrs.get(self.username_field, "")).strip().lower()
        return super().validate(attrs)
