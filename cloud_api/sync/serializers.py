"""Wire shapes of push and pull, for the OpenAPI schema (the push body itself is checked
against the contract in ``validation.py``, faster than a serializer could)."""

from __future__ import annotations

from rest_framework import serializers

from cloud_api.sync.models import TillActivity
from cloud_api.sync.push_status import PushStatus
from cloud_api.sync.validation import EVENT_TYPES


class EventIn(serializers.Serializer):
    id = serializers.UUIDField(help_text="Idempotency key: unique forever.")
    type = serializers.ChoiceField(choices=EVENT_TYPES)
    seq = serializers.IntegerField(min_value=1, help_text="Per terminal, gap-free, increasing.")
    recorded_at = serializers.DateTimeField(help_text="The till's clock: kept, never trusted.")
    payload = serializers.DictField(help_text="The record; shapes in docs/events.md.")


class ClientIn(serializers.Serializer):
    app_version = serializers.CharField(max_length=40, required=False)
    unsent_count = serializers.IntegerField(min_value=0, max_value=10**9, required=False)


class PushIn(serializers.Serializer):
    # many=True hands min_length / max_length to the ListSerializer, which the stubs don't see.
    events = EventIn(many=True, min_length=1, max_length=500)  # type: ignore[call-arg]
    client = ClientIn(
        required=False,
        help_text="Optional: the till's app version and how many events it had still to send "
        "(shown to head office as the till's health). A malformed value is ignored.",
    )


class PushResultOut(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=[status.value for status in PushStatus])
    error = serializers.CharField(required=False, help_text="Why, when rejected.")


class PushOut(serializers.Serializer):
    results = PushResultOut(many=True)


class PullQuery(serializers.Serializer):
    cursor = serializers.RegexField(
        r"^[0-9]{0,18}$",
        required=False,
        allow_blank=True,
        default="0",
        help_text="The cursor of the last page applied; empty or 0 = from the start.",
    )
    limit = serializers.IntegerField(min_value=1, max_value=1000, required=False, default=500)


class ChangeOut(serializers.Serializer):
    seq = serializers.IntegerField()
    entity = serializers.ChoiceField(
        choices=["tax_class", "category", "product", "user", "store", "stock_level"]
    )
    op = serializers.ChoiceField(choices=["upsert", "delete"])
    # The wire field is called data; this serializer only describes the schema, so shadowing
    # Serializer.data is harmless.
    data = serializers.DictField(  # type: ignore[assignment]
        help_text='The entity (docs/design/sync.md); a delete: {"id"}.'
    )


class PullOut(serializers.Serializer):
    changes = ChangeOut(many=True)
    cursor = serializers.CharField(help_text="Send it back as ?cursor= for the next page.")
    has_more = serializers.BooleanField()
    remaining = serializers.IntegerField(help_text="Changes after this page.")


class TillActivityOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    store_id = serializers.UUIDField(source="store.uuid", read_only=True)
    terminal_id = serializers.UUIDField(source="terminal.uuid", read_only=True)

    class Meta:
        model = TillActivity
        fields = [
            "id",
            "record_id",
            "kind",
            "store_id",
            "terminal_id",
            "shift_id",
            "cashier_id",
            "approved_by",
            "amount_cents",
            "occurred_at",
            "business_date",
            "payload",
            "created_at",
        ]
