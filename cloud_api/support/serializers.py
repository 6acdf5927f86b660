from __future__ import annotations

from rest_framework import serializers

from cloud_api.support.models import TillLogUpload

MAX_DAYS = 14
MAX_LINES = 10_000_000


class TillLogIn(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS)
    lines = serializers.IntegerField(min_value=0, max_value=MAX_LINES)
    first_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    last_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    truncated = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    content_gzip_base64 = serializers.CharField(
        help_text="The log lines (JSON lines) gzip-compressed, then base64; at most "
        "ASIRIA_TILL_LOGS_MAX_BYTES (1 MiB) of gzip.",
        trim_whitespace=False,
    )


class TillLogOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    store_id = serializers.UUIDField(source="store.uuid", read_only=True)
    terminal_id = serializers.UUIDField(source="terminal.uuid", read_only=True)
    terminal_name = serializers.CharField(source="terminal.name", read_only=True)
    received_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = TillLogUpload
        fields = [
            "id",
            "store_id",
            "terminal_id",
            "terminal_name",
            "received_at",
            "days",
            "lines",
            "first_at",
            "last_at",
            "truncated",
            "note",
            "size_bytes",
        ]
