from __future__ import annotations

from rest_framework import serializers

from cloud_api.core.bounds import STOCK_DELTA_MILLI_MAX
from cloud_api.core.fields import NameField, StrictIntegerField
from cloud_api.inventory.models import StockLevel, StockMovement

QTY_MILLI_LIMIT = STOCK_DELTA_MILLI_MAX


class StockLevelOut(serializers.ModelSerializer):
    store_id = serializers.UUIDField(source="store.uuid", read_only=True)
    product_id = serializers.UUIDField(source="product.uuid", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    is_low = serializers.BooleanField(read_only=True)

    class Meta:
        model = StockLevel
        fields = [
            "store_id",
            "product_id",
            "product_name",
            "on_hand_milli",
            "low_stock_threshold_milli",
            "is_low",
            "updated_at",
        ]


class ThresholdIn(serializers.Serializer):
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    product_id = serializers.UUIDField()
    low_stock_threshold_milli = StrictIntegerField(
        min_value=0, max_value=QTY_MILLI_LIMIT, allow_null=True
    )


class MovementOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    store_id = serializers.UUIDField(source="store.uuid", read_only=True)
    product_id = serializers.UUIDField(source="product.uuid", read_only=True)

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "store_id",
            "product_id",
            "delta_milli",
            "reason",
            "reference",
            "note",
            "created_at",
        ]


class AdjustmentIn(serializers.Serializer):
    """A manual correction (count, damage, theft); sales and receipts move stock themselves."""

    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    product_id = serializers.UUIDField()
    delta_milli = StrictIntegerField(min_value=-QTY_MILLI_LIMIT, max_value=QTY_MILLI_LIMIT)
    note = NameField(max_length=255)

    def validate_delta_milli(self, value: int) -> int:
        if value == 0:
            raise serializers.ValidationError("An adjustment of zero changes nothing.")
        return value
