"""Settings for the test suite: the machine's real MariaDB and Redis (DB 15), eager Celery."""

import os

from cloud_api.core.test_redis import redis_url_env_settle

# The same host/port variables scripts/ensure_services.sh checks; test DB is test_asiria.
_db_host = os.environ.get("ASIRIA_TEST_DB_HOST", "127.0.0.1")
_db_port = os.environ.get("ASIRIA_TEST_DB_PORT", "3306")
_redis_host = os.environ.get("ASIRIA_TEST_REDIS_HOST", "127.0.0.1")
_redis_port = os.environ.get("ASIRIA_TEST_REDIS_PORT", "6379")
os.environ.setdefault("DATABASE_URL", f"mysql://root:@{_db_host}:{_db_port}/asiria")
os.environ.setdefault("REDIS_URL", f"redis://{_redis_host}:{_redis_port}/15")
redis_url_env_settle()
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("ASIRIA_JSON_LOGS", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from cloud_api.settings import *  # noqa: E402, F403

# Still argon2, with cheap parameters so hundreds of test users hash quickly.
PASSWORD_HASHERS = ["cloud_api.core.test_hashers.QuickArgon2PasswordHasher"]
DJANGO_REDIS_IGNORE_EXCEPTIONS = False  # in tests a Redis problem must be loud

# No collected static files in a test run: WhiteNoise looks each file up as it is asked for
# instead of scanning a STATIC_ROOT that does not exist at start.
WHITENOISE_AUTOREFRESH = True
