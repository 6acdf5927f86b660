from __future__ import annotations

from rest_framework import serializers

from cloud_api.analytics.models import DemandForecastDay
from cloud_api.core.fields import StrictIntegerField
from cloud_api.purchases.models import OrderStatus, PurchaseOrder, PurchaseOrderLine


class ForecastQuery(serializers.Serializer):
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    product_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class ForecastDayOut(serializers.ModelSerializer):
    """Units in thousandths: ``median_milli`` is the forecast, ``lower_milli``-``upper_milli``
    the 80% prediction interval."""

    store_id = serializers.UUIDField(source="store.uuid", read_only=True)
    product_id = serializers.UUIDField(source="product.uuid", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = DemandForecastDay
        fields = [
            "store_id",
            "product_id",
            "product_name",
            "date",
            "median_milli",
            "mean_milli",
            "lower_milli",
            "upper_milli",
            "method",
            "computed_at",
        ]


class ForecastRefreshIn(serializers.Serializer):
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class ForecastRefreshOut(serializers.Serializer):
    store_id = serializers.UUIDField()
    queued = serializers.BooleanField()


class ReorderQuery(serializers.Serializer):
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    service_level = serializers.FloatField(min_value=0.5, max_value=0.999, default=0.95)
    review_days = serializers.IntegerField(min_value=1, max_value=60, default=7)


class ReorderSuggestionOut(serializers.Serializer):
    store_id = serializers.UUIDField(source="store.uuid")
    store_name = serializers.CharField(source="store.name")
    forecast_computed_at = serializers.DateTimeField()
    product_id = serializers.UUIDField(source="product.uuid")
    product_name = serializers.CharField(source="product.name")
    supplier_id = serializers.UUIDField(source="supplier.uuid", allow_null=True)
    supplier_name = serializers.CharField(source="supplier.name", allow_null=True)
    lead_time_days = serializers.IntegerField()
    cover_days = serializers.IntegerField()
    on_hand_milli = serializers.IntegerField()
    on_order_milli = serializers.IntegerField()
    expected_demand_milli = serializers.IntegerField()
    safety_stock_milli = serializers.IntegerField()
    order_up_to_milli = serializers.IntegerField()
    quantity_milli = serializers.IntegerField()
    cost_price_cents = serializers.IntegerField()


class ReorderSuggestionsOut(serializers.Serializer):
    results = ReorderSuggestionOut(many=True)


class DraftOrdersIn(serializers.Serializer):
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    service_level = serializers.FloatField(min_value=0.5, max_value=0.999, default=0.95)
    review_days = StrictIntegerField(min_value=1, max_value=60, default=7)
    supplier_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The supplier for products never ordered before.",
    )
    product_ids = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        allow_empty=False,
        max_length=500,
        help_text="Only these products (all suggested ones when left out).",
    )


class DraftOrderLineOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    product_id = serializers.UUIDField(source="product.uuid", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "product_id",
            "product_name",
            "quantity_milli",
            "received_milli",
            "cost_price_cents",
        ]


class DraftOrderOut(serializers.ModelSerializer):
    """A draft purchase order as made from the suggestions, in the purchase-orders shape
    (those endpoints confirm it)."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    supplier_id = serializers.UUIDField(source="supplier.uuid", read_only=True)
    store_id = serializers.UUIDField(source="store.uuid", read_only=True)
    status = serializers.ChoiceField(choices=OrderStatus.choices, read_only=True)
    lines = DraftOrderLineOut(many=True, read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "supplier_id",
            "store_id",
            "reference",
            "status",
            "notes",
            "lines",
            "created_at",
            "updated_at",
        ]
