"""OpenAPI description of the OAuth2 bearer scheme (terminals and integrations)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class OAuth2PrincipalScheme(OpenApiAuthenticationExtension):
    target_class = "cloud_api.core.authentication.OAuth2PrincipalAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
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

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
