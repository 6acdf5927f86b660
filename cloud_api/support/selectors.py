"""Reading the till logs sent for support, within the caller's stores."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet

from cloud_api.core.principal import Principal
from cloud_api.support.models import TillLogUpload


def till_log_list(*, principal: Principal) -> QuerySet[TillLogUpload]:
    """Newest first, without the file itself (a list never loads megabytes of logs)."""
    rows = TillLogUpload.objects.filter(organisation_id=principal.organisation_id)
    return principal.scope_stores(rows).select_related("store", "terminal").defer("content")


def till_log_content(*, principal: Principal, upload_uuid: UUID | str) -> TillLogUpload | None:
    rows = TillLogUpload.objects.filter(organisation_id=principal.organisation_id)
    return principal.scope_stores(rows).select_related("terminal").filter(uuid=upload_uuid).first()
