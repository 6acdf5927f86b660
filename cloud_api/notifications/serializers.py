import re
from datetime import time
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cloud_api.notifications.models import Notification


class NotificationOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    store_id = serializers.UUIDField(source="store.uuid", read_only=True, allow_null=True)
    timestamp = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "status", "store_id", "data", "timestamp", "read_at"]


class MarkedOut(serializers.Serializer):
    marked = serializers.IntegerField()


NOTIFICATION_KINDS = [
    "low_stock",
    "oversell",
    "price_mismatch",
    "sync_rejected",
    "sync_sequence",
    "clock_skew",
    "terminal_silent",
    "daily_summary",
]


CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


@extend_schema_field({"type": "string", "pattern": CLOCK.pattern, "example": "21:00"})
class ClockField(serializers.Field):
    """A time of day as a shop writes it, ``HH:MM`` (the organisation's local time)."""

    default_error_messages = {"invalid": "Give a time of day as HH:MM, for example 21:00."}

    def to_internal_value(self, data: Any) -> time:
        match = CLOCK.match(data) if isinstance(data, str) else None
        if match is None:
            self.fail("invalid")
        return time(int(match[1]), int(match[2]))

    def to_representation(self, value: time) -> str:
        return value.strftime("%H:%M")


class PreferenceIO(serializers.Serializer):
    """How one person hears about their stores on WhatsApp (the inbox always has everything)."""

    whatsapp_opt_in = serializers.BooleanField()
    whatsapp_phone = serializers.RegexField(
        r"^\+[1-9][0-9]{7,14}$",
        allow_blank=True,
        required=False,
        default="",
        error_messages={
            "invalid": "Give the phone number with its country code, e.g. +254712345678."
        },
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=NOTIFICATION_KINDS),
        required=False,
        default=list,
        help_text="Empty: every kind.",
    )
    quiet_start = ClockField(allow_null=True, required=False, default=None)
    quiet_end = ClockField(allow_null=True, required=False, default=None)
    opted_out_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["whatsapp_opt_in"] and not attrs.get("whatsapp_phone"):
            raise serializers.ValidationError(
                {"whatsapp_phone": "A phone number is needed to receive WhatsApp messages."}
            )
        if (attrs.get("quiet_start") is None) != (attrs.get("quiet_end") is None):
            raise serializers.ValidationError(
                {"quiet_end": "Give both the start and the end of the quiet hours, or neither."}
            )
        return attrs
