"""Export jobs: start one (queued for a Celery worker), run it, and hand back its file."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cloud_api.accounts.models import Store
from cloud_api.core.errors import ApplicationError
from cloud_api.core.principal import Principal
from cloud_api.reporting.aggregates import SaleFigures as SaleFigures
from cloud_api.reporting.aggregates import SharedRows as SharedRows
from cloud_api.reporting.aggregates import aggregates_apply as aggregates_apply
from cloud_api.reporting.aggregates import sale_figures as sale_figures
from cloud_api.reporting.exports import RENDERERS
from cloud_api.reporting.models import ExportJob, ExportStatus
from cloud_api.reporting.routers import report_reads
from cloud_api.reporting.selectors.catalogue import report_run
from cloud_api.reporting.selectors.scope import ReportFilter, report_filter

log = logging.getLogger(__name__)


def export_start(
    *,
    principal: Principal,
    report: str,
    file_format: str,
    date_from: date,
    date_to: date,
    store: Store | None = None,
) -> ExportJob:
    """Queue an export of a report for this principal's stores; a worker writes the file."""
    f = report_filter(principal=principal, date_from=date_from, date_to=date_to, store=store)
    if principal.user is None:
        raise ApplicationError("Exports are made for a person signed in.")
    job = ExportJob.objects.create(
        organisation_id=principal.organisation_id,
        requested_by=principal.user,
        report=report,
        file_format=file_format,
        params={
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "store_ids": list(f.store_ids) if f.store_ids is not None else None,
        },
    )
    from cloud_api.reporting.tasks import run_export

    transaction.on_commit(lambda: run_export.delay(job.pk))
    return job


def _progress_saver(job: ExportJob) -> Callable[[int], None]:
    def save(percent: int) -> None:
        # Progress is written outside any transaction so a poller sees it while the job runs.
        ExportJob.objects.filter(pk=job.pk).update(progress_percent=min(percent, 99))

    return save


def export_run(job_id: int) -> ExportJob:
    """Run a queued export: build the report (from the replica when there is one), write the
    file, keep it in the row. A job too large is ended with a plain-language reason."""
    job = ExportJob.objects.get(pk=job_id)
    if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return job  # a redelivered task: the work is done
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress_percent=0)
    params = job.params
    f = ReportFilter(
        organisation_id=job.organisation_id,
        date_from=date.fromisoformat(params["date_from"]),
        date_to=date.fromisoformat(params["date_to"]),
        store_ids=tuple(params["store_ids"]) if params.get("store_ids") is not None else None,
    )
    try:
        with report_reads():
            table = report_run(job.report, f)
        _progress_saver(job)(10)
        if len(table.rows) > settings.ASIRIA_EXPORT_MAX_ROWS:
            raise ApplicationError(
                f"This export would have {len(table.rows):,} rows, more than "
                f"{settings.ASIRIA_EXPORT_MAX_ROWS:,}: choose fewer days or one store."
            )
        render, _, extension = RENDERERS[job.file_format]
        content = render(table, _progress_saver(job))
        if len(content) > settings.ASIRIA_EXPORT_MAX_BYTES:
            raise ApplicationError(
                f"This export is {len(content) // 1_000_000} MB, more than the "
                f"{settings.ASIRIA_EXPORT_MAX_BYTES // 1_000_000} MB allowed: "
                "choose fewer days or one store."
            )
    except ApplicationError as exc:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(exc.message)[:255], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    except Exception:
        log.exception("export %s failed", job.uuid)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED,
            error="The export could not be made; please try again.",
            finished_at=timezone.now(),
        )
        raise
    filename = f"{job.report}_{f.date_from.isoformat()}_{f.date_to.isoformat()}.{extension}"
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        progress_percent=100,
        content=content,
        size_bytes=len(content),
        filename=filename,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job
