"""Who may sign in and how: password hashing, JWTs for people, OAuth 2 for tills, enrolment
codes and passkeys."""

from __future__ import annotations

import os
from datetime import timedelta

from cloud_api.settings.environment import DEBUG, env_list

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every password check (API token, admin sign-in) goes through the failed-sign-in guard
# (cloud_api/accounts/login_guard.py): per account, per address, exponential backoff.
AUTHENTICATION_BACKENDS = ["cloud_api.accounts.backends.GuardedModelBackend"]

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=int(os.environ.get("ASIRIA_JWT_ACCESS_MIN", "15"))),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=int(os.environ.get("ASIRIA_JWT_REFRESH_DAYS", "7"))),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "USER_ID_FIELD": "uuid",
    "USER_ID_CLAIM": "user_id",
    # Access tokens carry a digest of the password hash: a new password ends them at once.
    "CHECK_REVOKE_TOKEN": True,
}

# django-oauth-toolkit's swappable models, named so that migrations can depend on them.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("ASIRIA_OAUTH_TOKEN_SECONDS", "3600")),
    "PKCE_REQUIRED": True,
    "SCOPES": {
        "read": "Read the organisation's data",
        "write": "Change the organisation's data",
        "sync": "Till synchronisation",
    },
    "DEFAULT_SCOPES": ["read", "write", "sync"],
    # RFC 9700 (OAuth 2.0 security BCP) behaviour, ahead of django-oauth-toolkit 4.0's defaults.
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    # No password or implicit grant (a staff account must not mint tokens for anyone whose
    # password it guesses), S256 PKCE only, tokens in the Authorization header only (never a
    # URL that ends up in logs), tokens stored hashed.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": env_list(
        "ASIRIA_OAUTH_REDIRECT_SCHEMES", "http,https" if DEBUG else "https"
    ),
}

# One-time till enrolment codes live this long (docs/design/sync.md: a day by default).
ASIRIA_ENROLLMENT_MINUTES = int(os.environ.get("ASIRIA_ENROLLMENT_MINUTES", "1440"))

# --- Passkeys (WebAuthn) ---------------------------------------------------------------------
# The relying-party id is the site's domain (no scheme, no port); every origin the admin and
# head-office pages are served from must be that domain or a subdomain of it (docs/cloud.md).
ASIRIA_WEBAUTHN_RP_ID = os.environ.get("ASIRIA_WEBAUTHN_RP_ID", "localhost")
ASIRIA_WEBAUTHN_RP_NAME = os.environ.get("ASIRIA_WEBAUTHN_RP_NAME", "AsiriaPOS")
ASIRIA_WEBAUTHN_ORIGINS = env_list("ASIRIA_WEBAUTHN_ORIGINS", "http://localhost:8000")
ASIRIA_WEBAUTHN_CHALLENGE_SECONDS = int(os.environ.get("ASIRIA_WEBAUTHN_CHALLENGE_SECONDS", "300"))
