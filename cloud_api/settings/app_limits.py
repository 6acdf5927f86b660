"""How much the apps keep and accept: sync tombstones, till log uploads, report exports."""

from __future__ import annotations

import os

# Deletes (tombstones) stay in the tills' change log at least this long, even once every live
# till has pulled past them (docs/design/sync.md, "Compaction").
SYNC_TOMBSTONE_RETENTION_DAYS = int(os.environ.get("ASIRIA_SYNC_TOMBSTONE_DAYS", "30"))

# Till logs a manager sends for support (cloud_api/support): gzip size, uncompressed size and
# uploads kept per till (how often a till may send is a throttle rate, in api.py).
TILL_LOGS_MAX_BYTES = int(os.environ.get("ASIRIA_TILL_LOGS_MAX_BYTES", str(1024 * 1024)))
TILL_LOGS_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("ASIRIA_TILL_LOGS_MAX_UNCOMPRESSED_BYTES", str(32 * 1024 * 1024))
)
TILL_LOGS_KEPT_PER_TERMINAL = int(os.environ.get("ASIRIA_TILL_LOGS_KEPT", "20"))

# Exports: the largest file an export job may write (the file is kept in the database row).
ASIRIA_EXPORT_MAX_BYTES = int(os.environ.get("ASIRIA_EXPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# An export of more rows than this is refused (ask for fewer days or one store).
ASIRIA_EXPORT_MAX_ROWS = int(os.environ.get("ASIRIA_EXPORT_MAX_ROWS", "200000"))

# Stored insights: a push with new sales refreshes its store's once, this many seconds later
# (pushes in between share the refresh).
ASIRIA_INSIGHTS_DELAY_SECONDS = int(os.environ.get("ASIRIA_INSIGHTS_DELAY_SECONDS", "300"))
