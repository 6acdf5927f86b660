"""Transport security and request limits (production defaults; nginx terminates TLS in front)."""

from __future__ import annotations

import os

from cloud_api.settings.environment import DEBUG, DEMO_MODE, env_bool

# A sync batch of a few hundred sales fits comfortably; anything bigger is refused with a 413.
MAX_REQUEST_BODY_BYTES = int(os.environ.get("ASIRIA_MAX_BODY_BYTES", str(2 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES
# A till's push batch (500 events), checked again once gunzipped.
SYNC_PUSH_MAX_BYTES = int(os.environ.get("ASIRIA_SYNC_PUSH_MAX_BYTES", str(10 * 1024 * 1024)))
SYNC_PUSH_PATH = "/api/v1/sync/push/"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

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
