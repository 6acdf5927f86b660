from __future__ import annotations

import gzip
import zlib
from typing import Any

from django.contrib import admin
from django.utils.html import format_html

from cloud_api.core.admin_mixins import ReadOnlyAdmin
from cloud_api.support.models import TillLogUpload

PREVIEW_LINES = 200


@admin.register(TillLogUpload)
class TillLogUploadAdmin(ReadOnlyAdmin):
    list_display = ["terminal", "store", "created_at", "days", "lines", "size_bytes", "truncated"]
    list_select_related = ["store", "terminal__store"]
    list_filter = ["store", "terminal", "truncated"]
    search_fields = ["uuid", "note"]
    date_hierarchy = "created_at"
    exclude = ["content"]
    readonly_fields = ["newest_lines"]

    @admin.display(description=f"Newest {PREVIEW_LINES} lines")
    def newest_lines(self, upload: Any) -> str:
        try:
            text = gzip.decompress(bytes(upload.content)).decode("utf-8", "replace")
        except (OSError, EOFError, zlib.error):
            return "The file cannot be read."
        lines = text.splitlines()[-PREVIEW_LINES:]
        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 40em; overflow: auto">{}</pre>',
            "\n".join(lines),
        )
