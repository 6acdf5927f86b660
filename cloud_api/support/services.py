"""Storing a till's logs sent for support: checked, limited, and only the newest kept."""

from __future__ import annotations

import base64
import binascii
import zlib
from datetime import datetime

from django.conf import settings
from django.db import transaction

from cloud_api.accounts.models import Terminal
from cloud_api.core.errors import ApplicationError
from cloud_api.support.models import TillLogUpload


class LogsTooLarge(ApplicationError):
    status_code = 413
    code = "request_too_large"


def gzip_from_base64(text: str) -> bytes:
    """The gzip file the till sent, within ``ASIRIA_TILL_LOGS_MAX_BYTES``; 400 when it is not
    base64, 413 when too large."""
    limit = settings.TILL_LOGS_MAX_BYTES
    if len(text) > (limit + 2) // 3 * 4:
        raise LogsTooLarge(f"The log file is larger than {limit} bytes (gzip).")
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ApplicationError(
            "content_gzip_base64 is not base64.", fields={"content_gzip_base64": ["Not base64."]}
        ) from None
    if len(content) > limit:
        raise LogsTooLarge(f"The log file is larger than {limit} bytes (gzip).")
    return content


def checked_gzip(content: bytes) -> int:
    """The uncompressed size; 400 when the file is not gzip, 413 past the uncompressed limit
    (a small file that inflates to gigabytes stops there)."""
    limit = settings.TILL_LOGS_MAX_UNCOMPRESSED_BYTES
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    size = 0
    data = content
    try:
        while data:
            chunk = inflater.decompress(data, 1024 * 1024)
            size += len(chunk)
            if size > limit:
                raise LogsTooLarge(f"The log file is larger than {limit} bytes uncompressed.")
            data = inflater.unconsumed_tail
    except zlib.error:
        raise ApplicationError(
            "The log file is not gzip.", fields={"content_gzip_base64": ["Not a gzip file."]}
        ) from None
    if not inflater.eof:
        raise ApplicationError(
            "The log file is cut off.", fields={"content_gzip_base64": ["Incomplete gzip."]}
        )
    return size


@transaction.atomic
def till_logs_store(
    *,
    terminal: Terminal,
    content: bytes,
    days: int,
    lines: int,
    first_at: datetime | None,
    last_at: datetime | None,
    truncated: bool,
    note: str,
) -> TillLogUpload:
    """Keep the file; a terminal's uploads beyond ``ASIRIA_TILL_LOGS_KEPT`` go, oldest first."""
    checked_gzip(content)
    upload = TillLogUpload.objects.create(
        organisation_id=terminal.store.organisation_id,
        store_id=terminal.store_id,
        terminal=terminal,
        days=days,
        lines=lines,
        first_at=first_at,
        last_at=last_at,
        truncated=truncated,
        note=note,
        size_bytes=len(content),
        content=content,
    )
    kept = settings.TILL_LOGS_KEPT_PER_TERMINAL
    old = TillLogUpload.objects.filter(terminal=terminal).order_by("-created_at", "-id")[kept:]
    old_ids = list(old.values_list("id", flat=True))
    if old_ids:
        TillLogUpload.objects.filter(id__in=old_ids).delete()
    return upload
