"""Which Redis DB a test process uses: under pytest-xdist each worker process gets its own, as
pytest-django gives it its own test database. Tests clear the cache and queue Celery tasks; a
worker must not empty another worker's throttle counters or take its tasks mid-test.

Pure Python (no Django): the end-to-end tests, which never import Django, use it too."""

from __future__ import annotations

import os

# Set once REDIS_URL is moved for a worker: a process that worker starts (a management command
# on the test settings) inherits both and must not move it a second time.
MOVED_FOR = "ASIRIA_TEST_REDIS_MOVED_FOR"
# Worker gwN uses the DB 4 x N below the one configured: the cloud tests' 15, 11, 7, 3 and the
# end-to-end clouds' 13, 9, 5, 1 never meet.
STEP = 4


def redis_db_of_this_worker(db: int) -> int:
    """``db`` for the first (or only) test process, a lower one for each further xdist worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    offset = STEP * int(worker.removeprefix("gw") or 0)
    if db < offset:
        raise RuntimeError(f"no Redis DB left below {db} for pytest-xdist worker {worker}")
    return db - offset


def redis_url_of_this_worker(url: str) -> str:
    """``redis://host:port/15`` as :func:`redis_db_of_this_worker` moves it; a URL with no DB
    number (or not Redis) is left as it is."""
    base, _, db = url.rpartition("/")
    if not url.startswith("redis://") or not db.isdigit():
        return url
    return f"{base}/{redis_db_of_this_worker(int(db))}"


def redis_url_env_settle() -> None:
    """Move the ``REDIS_URL`` environment variable to this worker's DB, once per worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    if os.environ.get(MOVED_FOR) != worker:
        os.environ["REDIS_URL"] = redis_url_of_this_worker(os.environ["REDIS_URL"])
        os.environ[MOVED_FOR] = worker
