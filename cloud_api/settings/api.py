"""Django REST framework and the OpenAPI schema drf-spectacular draws from it."""

from __future__ import annotations

import os

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cloud_api.core.authentication.UserJWTAuthentication",
        "cloud_api.core.authentication.OAuth2PrincipalAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cloud_api.core.permissions.HasRole"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["cloud_api.core.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "cloud_api.core.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cloud_api.core.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "cloud_api.core.throttling.AnonymousThrottle",
        "cloud_api.core.throttling.UserThrottle",
        "cloud_api.core.throttling.TerminalThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("ASIRIA_RATE_ANON", "60/min"),
        "user": os.environ.get("ASIRIA_RATE_USER", "600/min"),
        "terminal": os.environ.get("ASIRIA_RATE_TERMINAL", "1200/min"),
        "login": os.environ.get("ASIRIA_RATE_LOGIN", "10/min"),
        "oauth_token": os.environ.get("ASIRIA_RATE_OAUTH_TOKEN", "60/min"),
        # How often a till may send its logs for support (cloud_api/support).
        "till_logs": os.environ.get("ASIRIA_RATE_TILL_LOGS", "6/hour"),
    },
    # How many proxies in front of gunicorn append to X-Forwarded-For (1 behind our nginx).
    # 0 means the client's address is REMOTE_ADDR and the header is ignored: with no proxy,
    # a client could write any address there and escape every per-address limit.
    "NUM_PROXIES": int(os.environ.get("ASIRIA_NUM_PROXIES", "0")),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "AsiriaPOS cloud API",
    "DESCRIPTION": "Head office, tills and integrations. Amounts are integer cents.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cloud_api.core.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "cloud_api.accounts.models.Role",
        "PaymentMethodEnum": "cloud_api.payments.models.PaymentMethod",
        "PaymentStatusEnum": "cloud_api.payments.models.PaymentStatus",
        "TaxClassCodeEnum": "cloud_api.catalog.models.TaxCode",
        "PurchaseOrderStatusEnum": "cloud_api.purchases.models.OrderStatus",
    },
}
