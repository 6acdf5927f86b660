"""Background jobs of the sync app (run by ``celery -A cloud_api worker``, scheduled by
``celery -A cloud_api beat``: see ``CELERY_BEAT_SCHEDULE`` in settings)."""

from __future__ import annotations

from celery import shared_task

from cloud_api.sync.compaction import changes_compact


@shared_task(ignore_result=True)
def compact_change_log() -> dict[str, int]:
    """Nightly: drop superseded changes and tombstones no till needs any more."""
    result = changes_compact()
    return {
        "organisations": result.organisations,
        "superseded": result.superseded,
        "tombstones": result.tombstones,
        "kept_tombstones": result.kept_tombstones,
    }
