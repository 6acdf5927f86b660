from rest_framework import serializers

from cloud_api.payments.models import Payment, PaymentStatusChange


class PaymentHistoryOut(serializers.ModelSerializer):
    class Meta:
        model = PaymentStatusChange
        fields = ["from_status", "to_status", "note", "changed_at"]


class PaymentOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    sale_id = serializers.UUIDField(source="sale.uuid", read_only=True)
    store_id = serializers.UUIDField(source="sale.store.uuid", read_only=True)
    timestamp = serializers.DateTimeField(source="created_at", read_only=True)
    history = PaymentHistoryOut(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "sale_id",
            "store_id",
            "method",
            "amount_cents",
            "reference",
            "status",
            "verification",
            "verification_note",
            "timestamp",
            "history",
        ]
