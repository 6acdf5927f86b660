from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cloud_api.core.fields import NameField


class CredentialField(serializers.DictField):
    """The browser's PublicKeyCredential as JSON (``credential.toJSON()``, base64url fields)."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        value = super().to_internal_value(data)
        response = value.get("response")
        if not isinstance(response, dict) or not all(
            isinstance(value.get(key), str) for key in ("id", "rawId", "type")
        ):
            raise serializers.ValidationError(
                "Expected the PublicKeyCredential as JSON: id, rawId, type and response."
            )
        if not isinstance(response.get("clientDataJSON"), str):
            raise serializers.ValidationError("response.clientDataJSON is missing.")
        return value


class RegisterOptionsIn(serializers.Serializer):
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class RegisterVerifyIn(serializers.Serializer):
    name = NameField(max_length=64, required=False, default="Passkey")
    credential = CredentialField()


class LoginVerifyIn(serializers.Serializer):
    credential = CredentialField()


class SessionLoginIn(LoginVerifyIn):
    next = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class PasskeyOut(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    transports = serializers.ListField(child=serializers.CharField())
    aaguid = serializers.CharField()
    backed_up = serializers.BooleanField()


class TokenPairOut(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class SessionLoginOut(serializers.Serializer):
    redirect = serializers.CharField()


class OptionsOut(serializers.Serializer):
    """The options for ``navigator.credentials``, in the WebAuthn JSON form (base64url)."""

    challenge = serializers.CharField()
    timeout = serializers.IntegerField()
    rpId = serializers.CharField(required=False)
