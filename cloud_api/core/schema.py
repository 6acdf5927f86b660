"""OpenAPI description of the OAuth2 bearer scheme (terminals and integrations)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class OAuth2PrincipalScheme(OpenApiAuthenticationExtension):
    target_class = "cloud_api.core.authentication.OAuth2PrincipalAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {"tokenUrl": "/o/token/", "scopes": {}},
                "authorizationCode": {
                    "authorizationUrl": "/o/authorize/",
                    "tokenUrl": "/o/token/",
                    "scopes": {},
                },
            },
        }


class UserJWTScheme(OpenApiAuthenticationExtension):
    target_class = "cloud_api.core.authentication.UserJWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


ERROR_RESPONSES = {
    "400": "Invalid input (the fields say which and why)",
    "401": "Not authenticated",
    "403": "Your role may not do this",
    "404": "Not found (or not yours)",
    "409": "Conflicts with existing data",
    "413": "Request body too large",
    "415": "Unsupported media type (send JSON)",
    "429": "Too many requests",
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
            },
        }
    },
}


def add_error_responses(
    result: dict[str, Any], generator: object, request: object, public: bool
) -> dict[str, Any]:
    """Document the one error shape on every operation, so clients (and schemathesis) know
    that a 4xx always carries ``{"error": {"code", "message", "fields"}}``."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
