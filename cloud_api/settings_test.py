"""Settings for the test suite: the machine's real MariaDB and Redis (DB 15), eager Celery."""

import os

os.environ.setdefault("DATABASE_URL", "mysql://root:@127.0.0.1:3306/asiria")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("ASIRIA_JSON_LOGS", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from cloud_api.settings import *  # noqa: F403

# Still argon2, with cheap parameters so hundreds of test users hash quickly.
PASSWORD_HASHERS = ["cloud_api.core.test_hashers.QuickArgon2PasswordHasher"]
DJANGO_REDIS_IGNORE_EXCEPTIONS = False  # in tests a Redis problem must be loud
