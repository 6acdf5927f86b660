"""Export jobs a principal may see, and a finished job's file."""

from __future__ import annotations

from uuid import UUID

from cloud_api.core.principal import OWNER, Principal
from cloud_api.reporting.exports import RENDERERS
from cloud_api.reporting.models import (
    ExportJob,
    ExportStatus,
)


def export_get(*, principal: Principal, job_uuid: UUID) -> ExportJob | None:
    """An export job this principal may see: their own, or any of the organisation's for an
    owner."""
    job = ExportJob.objects.filter(uuid=job_uuid, organisation_id=principal.organisation_id).first()
    if job is None:
        return None
    if principal.role != OWNER and (
        principal.user is None or job.requested_by_id != principal.user.pk
    ):
        return None
    return job


def export_file(job: ExportJob) -> tuple[bytes, str, str] | None:
    """A finished export's (content, content type, file name); None while it is not ready."""
    if job.status != ExportStatus.DONE or job.content is None:
        return None
    _, content_type, _ = RENDERERS[job.file_format]
    return bytes(job.content), content_type, job.filename
