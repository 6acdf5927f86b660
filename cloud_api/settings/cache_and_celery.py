"""Redis as the cache, the throttling store and Celery's broker; the demo's stand-ins for it."""

from __future__ import annotations

import os

from cloud_api.settings.environment import REDIS_URL, env_bool

if REDIS_URL.startswith("locmem://"):
    # Demo without Redis: one process, so an in-memory cache is still correct.
    CACHES: dict[str, dict[str, object]] = {
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
