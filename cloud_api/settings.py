"""Django settings, configured the twelve-factor way (ARCHITECTURE.md 3).

Every value comes from an environment variable; the defaults are the safe production ones
(DEBUG off, secure cookies, strict MySQL mode). SQLite is accepted only for the one-command demo.
"""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from cloud_api.core.logging import logging_config


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("DEBUG", False)

DATABASE_URL = os.environ.get("DATABASE_URL", "mysql://root:@127.0.0.1:3306/asiria")
DEMO_MODE = DATABASE_URL.startswith("sqlite:")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or DEMO_MODE):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "django-insecure-asiria-demo-only-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "oauth2_provider",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served by us: head office may have no CDN
    "cloud_api.core",
    "cloud_api.accounts",
    "cloud_api.catalog",
    "cloud_api.inventory",
    "cloud_api.payments",
    "cloud_api.sales",
    "cloud_api.purchases",
    "cloud_api.notifications",
    "cloud_api.reporting",
    "cloud_api.sync",
    "cloud_api.analytics",
    "cloud_api.customers",
    "cloud_api.support",
    "cloud_api.dashboard",
]

MIDDLEWARE = [
    "cloud_api.core.middleware.RequestIdMiddleware",
    "cloud_api.core.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (admin, API docs) straight from gunicorn, compressed and cached for good:
    # one container serves them with no shared volume behind the load balancer.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cloud_api.urls"
WSGI_APPLICATION = "cloud_api.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# --- Database -------------------------------------------------------------------------------
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
if _db["ENGINE"] == "django.db.backends.mysql":
    _db["OPTIONS"] = {
        "charset": "utf8mb4",
        # Strict mode: an over-long or out-of-range value is an error, never silently cut.
        "init_command": "SET sql_mode='STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'",
        "isolation_level": "read committed",
    }
    _db["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
elif _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    # The demo's cloud and its Celery worker write to the same file: wait for each other's
    # write lock instead of failing at once, and let readers go on while one writes (WAL).
    _db["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",  # take the write lock first: no mid-transaction BUSY
        "init_command": "PRAGMA journal_mode=WAL;",
    }
else:
    raise ImproperlyConfigured(f"DATABASE_URL must be mysql:// or sqlite:// (got {_db['ENGINE']})")
DATABASES = {"default": _db}

# --- Redis: cache, throttling store, Celery broker ------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
if REDIS_URL.startswith("locmem://"):
    # Demo without Redis: one process, so an in-memory cache is still correct.
    CACHES: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "asiria",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
# A Redis outage degrades caching and throttling; it must not turn every request into a 500.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
CATALOG_CACHE_SECONDS = int(os.environ.get("ASIRIA_CATALOG_CACHE_SECONDS", "300"))

# With no Redis (the one-process demo, REDIS_URL=locmem://) there is no broker either: run
# background jobs in the request, so a push that raises a notification still answers 200.
_NO_BROKER = REDIS_URL.startswith("locmem://")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://" if _NO_BROKER else REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", _NO_BROKER)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# `celery -A cloud_api beat` runs these; 00:17 UTC is 03:17 in East Africa, shops shut.
CELERY_BEAT_SCHEDULE = {
    "compact-change-log": {
        "task": "cloud_api.sync.tasks.compact_change_log",
        "schedule": crontab(hour=0, minute=17),
    },
}
# Deletes (tombstones) stay in the tills' change log at least this long, even once every live
# till has pulled past them (docs/design/sync.md, "Compaction").
SYNC_TOMBSTONE_RETENTION_DAYS = int(os.environ.get("ASIRIA_SYNC_TOMBSTONE_DAYS", "30"))

# --- Auth -----------------------------------------------------------------------------------
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

# --- DRF ------------------------------------------------------------------------------------
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

# One-time till enrolment codes live this long (docs/design/sync.md: a day by default).
ASIRIA_ENROLLMENT_MINUTES = int(os.environ.get("ASIRIA_ENROLLMENT_MINUTES", "1440"))

# --- Passkeys (WebAuthn) ---------------------------------------------------------------------
# The relying-party id is the site's domain (no scheme, no port); every origin the admin and
# head-office pages are served from must be that domain or a subdomain of it (docs/cloud.md).
ASIRIA_WEBAUTHN_RP_ID = os.environ.get("ASIRIA_WEBAUTHN_RP_ID", "localhost")
ASIRIA_WEBAUTHN_RP_NAME = os.environ.get("ASIRIA_WEBAUTHN_RP_NAME", "AsiriaPOS")
ASIRIA_WEBAUTHN_ORIGINS = env_list("ASIRIA_WEBAUTHN_ORIGINS", "http://localhost:8000")
ASIRIA_WEBAUTHN_CHALLENGE_SECONDS = int(os.environ.get("ASIRIA_WEBAUTHN_CHALLENGE_SECONDS", "300"))

# --- Request limits -------------------------------------------------------------------------
# A sync batch of a few hundred sales fits comfortably; anything bigger is refused with a 413.
MAX_REQUEST_BODY_BYTES = int(os.environ.get("ASIRIA_MAX_BODY_BYTES", str(2 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES
# A till's push batch (500 events), checked again once gunzipped.
SYNC_PUSH_MAX_BYTES = int(os.environ.get("ASIRIA_SYNC_PUSH_MAX_BYTES", str(10 * 1024 * 1024)))
SYNC_PUSH_PATH = "/api/v1/sync/push/"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Security (production defaults; nginx terminates TLS in front) -------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("ASIRIA_SSL_REDIRECT", False)
# Probes call these over plain HTTP inside the host; they must answer, not redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("ASIRIA_SECURE_COOKIES", not (DEBUG or DEMO_MODE))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("ASIRIA_HSTS_SECONDS", "0"))
# Off unless asked: both bind every subdomain (and, preloaded, browsers) to HTTPS for long.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ASIRIA_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("ASIRIA_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- i18n / time ----------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("ASIRIA_STATIC_ROOT", str(BASE_DIR.parent / "staticfiles"))
# Before `collectstatic` (tests, the demo) the folder is missing and whitenoise serves nothing,
# which is right there: no need for a warning in each process.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed copies (gzip, and Brotli when installed) next to each file; names unchanged,
    # so a page rendered before `collectstatic` still finds its files.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Admin site -----------------------------------------------------------------------------
# Where head office's admin lives ("admin/" unless moved, e.g. away from scanners' guesses).
ADMIN_PATH = (os.environ.get("ASIRIA_ADMIN_PATH") or "admin/").strip().strip("/") + "/"
if ADMIN_PATH == "/":
    raise ImproperlyConfigured("ASIRIA_ADMIN_PATH must name a path, e.g. 'admin/'.")
LOGIN_URL = f"/{ADMIN_PATH}login/"

LOGGING = logging_config(
    level=os.environ.get("LOG_LEVEL", "INFO"),
    json_logs=env_bool("ASIRIA_JSON_LOGS", not DEBUG),
)

# --- M-Pesa (Safaricom Daraja; docs/cloud.md "M-Pesa (Daraja)") ------------------------------
MPESA_BASE_URL = os.environ.get("ASIRIA_MPESA_BASE_URL", "https://sandbox.safaricom.co.ke")
MPESA_CONSUMER_KEY = os.environ.get("ASIRIA_MPESA_CONSUMER_KEY", "")
MPESA_CONSUMER_SECRET = os.environ.get("ASIRIA_MPESA_CONSUMER_SECRET", "")
# The unguessable path part of every callback URL Daraja is given; empty: callbacks refused.
MPESA_CALLBACK_SECRET = os.environ.get("ASIRIA_MPESA_CALLBACK_SECRET", "")
MPESA_CALLBACK_BASE_URL = os.environ.get("ASIRIA_MPESA_CALLBACK_BASE_URL", "").rstrip("/")
# Fernet key that encrypts the stores' pass keys at rest (empty: derived from SECRET_KEY).
MPESA_ENCRYPTION_KEY = os.environ.get("ASIRIA_MPESA_ENCRYPTION_KEY", "")
# Transaction Status (checks codes typed in offline): the API initiator and its credential.
MPESA_INITIATOR_NAME = os.environ.get("ASIRIA_MPESA_INITIATOR_NAME", "")
MPESA_SECURITY_CREDENTIAL = os.environ.get("ASIRIA_MPESA_SECURITY_CREDENTIAL", "")
MPESA_MAX_TRANSACTION_CENTS = 100 * int(os.environ.get("ASIRIA_MPESA_MAX_KES", "250000"))
MPESA_QUERY_AFTER_SECONDS = int(os.environ.get("ASIRIA_MPESA_QUERY_AFTER_SECONDS", "20"))
MPESA_STK_TIMEOUT_MINUTES = int(os.environ.get("ASIRIA_MPESA_STK_TIMEOUT_MINUTES", "3"))
MPESA_HTTP_TIMEOUT = float(os.environ.get("ASIRIA_MPESA_HTTP_TIMEOUT", "10"))
MPESA_RETRIES = int(os.environ.get("ASIRIA_MPESA_RETRIES", "3"))
MPESA_RETRY_BACKOFF = float(os.environ.get("ASIRIA_MPESA_RETRY_BACKOFF", "0.5"))
CELERY_BEAT_SCHEDULE["mpesa-late-stk"] = {
    "task": "cloud_api.payments.tasks.poll_late_stk_attempts",
    "schedule": 15.0,
}
# --- WhatsApp Business (docs/cloud.md, "WhatsApp Business") ----------------------------------
# Empty token or phone number id: nothing is sent, notifications stay in the inbox.
ASIRIA_WHATSAPP_GRAPH_URL = os.environ.get(
    "ASIRIA_WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0"
)
ASIRIA_WHATSAPP_TOKEN = os.environ.get("ASIRIA_WHATSAPP_TOKEN", "")
ASIRIA_WHATSAPP_PHONE_NUMBER_ID = os.environ.get("ASIRIA_WHATSAPP_PHONE_NUMBER_ID", "")
ASIRIA_WHATSAPP_APP_SECRET = os.environ.get("ASIRIA_WHATSAPP_APP_SECRET", "")
ASIRIA_WHATSAPP_VERIFY_TOKEN = os.environ.get("ASIRIA_WHATSAPP_VERIFY_TOKEN", "")
ASIRIA_WHATSAPP_TEMPLATE = os.environ.get("ASIRIA_WHATSAPP_TEMPLATE", "asiria_alert")
ASIRIA_WHATSAPP_TEMPLATE_LANGUAGE = os.environ.get("ASIRIA_WHATSAPP_TEMPLATE_LANGUAGE", "en")
ASIRIA_WHATSAPP_TIMEOUT_S = float(os.environ.get("ASIRIA_WHATSAPP_TIMEOUT_S", "10"))
ASIRIA_WHATSAPP_MAX_ATTEMPTS = int(os.environ.get("ASIRIA_WHATSAPP_MAX_ATTEMPTS", "8"))
# A send whose worker died mid-call is resent only after this long without Graph's "sent"
# status webhook for it (docs/decisions.md: WhatsApp delivery is at most once per message).
ASIRIA_WHATSAPP_RESEND_AFTER_S = int(os.environ.get("ASIRIA_WHATSAPP_RESEND_AFTER_S", "600"))
ASIRIA_TERMINAL_SILENT_MINUTES = int(os.environ.get("ASIRIA_TERMINAL_SILENT_MINUTES", "120"))
CELERY_BEAT_SCHEDULE.update(
    {
        "whatsapp-resume-deliveries": {
            "task": "cloud_api.notifications.tasks.resume_deliveries",
            "schedule": 60.0,
        },
        "terminals-silent": {
            "task": "cloud_api.notifications.tasks.notify_silent_terminals",
            "schedule": 15 * 60.0,
        },
        # 16:00 UTC is 19:00 in Nairobi, once the day's trade is done.
        "daily-store-summary": {
            "task": "cloud_api.notifications.tasks.send_daily_summaries",
            "schedule": crontab(hour=16, minute=0),
        },
    }
)

# Demand forecasts (cloud_api/analytics): 00:47 UTC is 03:47 in Nairobi, after the day's pushes.
CELERY_BEAT_SCHEDULE["forecasts-refresh"] = {
    "task": "cloud_api.analytics.forecast_tasks.refresh_all_forecasts",
    "schedule": crontab(hour=0, minute=47),
}

# --- Analytics: frequently bought together (docs/cloud.md, "Analytics") ---------------------
CELERY_BEAT_SCHEDULE["basket-rules"] = {
    "task": "cloud_api.analytics.tasks.compute_basket_rules",
    "schedule": crontab(hour=1, minute=23),
}

# --- The demo's fakes (scripts/demo.py) ------------------------------------------------------
# Set by ``make demo`` only: the cloud then talks to local FAKE Daraja and WhatsApp servers,
# says so on its start page, and serves /demo/whatsapp/ (what the fake Graph received).
ASIRIA_DEMO_FAKES = env_bool("ASIRIA_DEMO_FAKES", False)
ASIRIA_DEMO_WORKER = os.environ.get("ASIRIA_DEMO_WORKER", "")  # "celery" | "eager", for the page

# --- Customers on WhatsApp (docs/cloud.md, "Customers and campaigns") -------------------------
# The approved template of a digital receipt: body "Receipt {{1}}, total {{2}}. Items: {{3}}."
ASIRIA_WHATSAPP_RECEIPT_TEMPLATE = os.environ.get(
    "ASIRIA_WHATSAPP_RECEIPT_TEMPLATE", "asiria_receipt"
)
# Campaign messages an organisation may send per day (its time zone's calendar day).
ASIRIA_CUSTOMER_MESSAGES_PER_DAY = int(os.environ.get("ASIRIA_CUSTOMER_MESSAGES_PER_DAY", "1000"))

# Till logs a manager sends for support (cloud_api/support): gzip size, uncompressed size,
# uploads kept per till, and how often a till may send.
TILL_LOGS_MAX_BYTES = int(os.environ.get("ASIRIA_TILL_LOGS_MAX_BYTES", str(1024 * 1024)))
TILL_LOGS_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("ASIRIA_TILL_LOGS_MAX_UNCOMPRESSED_BYTES", str(32 * 1024 * 1024))
)
TILL_LOGS_KEPT_PER_TERMINAL = int(os.environ.get("ASIRIA_TILL_LOGS_KEPT", "20"))
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["till_logs"] = os.environ.get(  # type: ignore[index]
    "ASIRIA_RATE_TILL_LOGS", "6/hour"
)
# --- Reports: a read replica for report reads (cloud_api/reporting/routers.py) -------------------
# DATABASE_REPLICA_URL names a MariaDB replica of the default database; report views and export
# jobs read from it, everything else (and every write) stays on the default database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True)
    _replica["OPTIONS"] = dict(_db.get("OPTIONS", {}))
    _replica["TEST"] = {"MIRROR": "default"}  # tests: the replica is the test database itself
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["cloud_api.reporting.routers.ReportReplicaRouter"]
# Exports: the largest file an export job may write (the file is kept in the database row).
ASIRIA_EXPORT_MAX_BYTES = int(os.environ.get("ASIRIA_EXPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# An export of more rows than this is refused (ask for fewer days or one store).
ASIRIA_EXPORT_MAX_ROWS = int(os.environ.get("ASIRIA_EXPORT_MAX_ROWS", "200000"))

# --- Analytics: stored insights and anomaly flags (docs/cloud.md, "Analytics") -------------
# 01:53 UTC (04:53 in Nairobi): after the basket rules the insights quote. A push with new
# sales refreshes its store's once, this many seconds later (pushes in between share it).
CELERY_BEAT_SCHEDULE["insights-refresh"] = {
    "task": "cloud_api.analytics.insights_tasks.refresh_all_insights",
    "schedule": crontab(hour=1, minute=53),
}
ASIRIA_INSIGHTS_DELAY_SECONDS = int(os.environ.get("ASIRIA_INSIGHTS_DELAY_SECONDS", "300"))
