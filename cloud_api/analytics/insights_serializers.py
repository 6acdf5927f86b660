"""Query and answer shapes of the analytics operations (basket rules, anomalies, insights)."""

from __future__ import annotations

from rest_framework import serializers


class StoreDateQuery(serializers.Serializer):
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Default: today."
    )


class AnomaliesQuery(StoreDateQuery):
    days = serializers.IntegerField(min_value=1, max_value=31, default=7)


class InsightsQuery(StoreDateQuery):
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)


class BasketRulesQuery(serializers.Serializer):
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    product_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class BasketRuleOut(serializers.Serializer):
    store_id = serializers.UUIDField(source="store.uuid")
    product_id = serializers.UUIDField(source="antecedent.uuid")
    product_name = serializers.CharField(source="antecedent.name")
    with_product_id = serializers.UUIDField(source="consequent.uuid")
    with_product_name = serializers.CharField(source="consequent.name")
    support = serializers.FloatField()
    confidence = serializers.FloatField()
    lift = serializers.FloatField()
    pair_count = serializers.IntegerField()
    antecedent_count = serializers.IntegerField()
    consequent_count = serializers.IntegerField()
    baskets = serializers.IntegerField()
    window_from = serializers.DateField()
    window_to = serializers.DateField()
    computed_at = serializers.DateTimeField()


class BasketRulesOut(serializers.Serializer):
    results = BasketRuleOut(many=True)


class BasketComputeIn(serializers.Serializer):
    store_id = serializers.UUIDField()


class BasketComputeOut(serializers.Serializer):
    store_id = serializers.UUIDField()
    status = serializers.CharField()


class FlagOut(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["voids", "refunds", "discounts", "no_sales", "day_sales"]
    )
    store_id = serializers.UUIDField()
    store_name = serializers.CharField()
    cashier_id = serializers.UUIDField(allow_null=True)
    cashier_name = serializers.CharField(allow_null=True)
    date = serializers.DateField(allow_null=True)
    value = serializers.FloatField()
    severity = serializers.FloatField()
    reason = serializers.CharField()
    numbers = serializers.DictField()


class AnomaliesOut(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    flags = FlagOut(many=True)


class InsightOut(serializers.Serializer):
    kind = serializers.CharField()
    store_id = serializers.UUIDField()
    store_name = serializers.CharField()
    text = serializers.CharField()
    score = serializers.FloatField()
    numbers = serializers.DictField()


class InsightsOut(serializers.Serializer):
    date_to = serializers.DateField()
    insights = InsightOut(many=True)
