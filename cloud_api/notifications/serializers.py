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
