"""Send report reads to a read replica when one is configured (``DATABASE_REPLICA_URL``).

Only the reads a report makes go there: a report view or export job runs inside
``report_reads()``, and while it does, the router answers "replica" for every read. Everything
else (a till's push, a sale's detail page, the writes of an export job) stays on "default", so
nobody reads their own write from a replica that has not caught up yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db.models import Model

REPLICA = "replica"
_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def report_reads() -> Iterator[None]:
    """Reads inside this block go to the replica, when there is one."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def report_database() -> str:
    """The database alias report reads use right now."""
    return REPLICA if REPLICA in settings.DATABASES and _reading_reports.get() else "default"


class ReportReplicaRouter:
    """Reads inside ``report_reads()`` go to the replica; writes and migrations to default."""

    def db_for_read(self, model: type[Model], **hints: object) -> str | None:
        return REPLICA if report_database() == REPLICA else None

    def db_for_write(self, model: type[Model], **hints: object) -> str | None:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool | None:
        return True  # the replica is a copy of default: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool | None:
        return db != REPLICA  # the replica gets its tables from replication
