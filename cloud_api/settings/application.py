"""The Django project itself: secret key, hosts, apps, middleware, templates, time, static
files, the admin's path and logging."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from cloud_api.core.logging import logging_config
from cloud_api.settings.environment import DEBUG, DEMO_MODE, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

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
