"""The databases: MariaDB (or the demo's SQLite file) and an optional read replica for reports."""

from __future__ import annotations

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cloud_api.settings.environment import DATABASE_URL

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
