"""Background jobs of the reporting app: exports (started by POST /api/v1/reports/exports/)."""

from __future__ import annotations

from celery import shared_task

from cloud_api.reporting.services import export_run


@shared_task(ignore_result=True)
def run_export(job_id: int) -> str:
    """Write one export job's file; returns its status."""
    return str(export_run(job_id).status)
