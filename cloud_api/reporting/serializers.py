from __future__ import annotations

from typing import Any

from rest_framework import serializers

MAX_DAYS = 366


class SalesSummaryQuery(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": ["Must not be before date_from."]})
        if (attrs["date_to"] - attrs["date_from"]).days >= MAX_DAYS:
            raise serializers.ValidationError({"date_to": [f"At most {MAX_DAYS} days at once."]})
        return attrs


class DayOut(serializers.Serializer):
    date = serializers.DateField()
    sales_count = serializers.IntegerField()
    items_count = serializers.IntegerField()
    total_cents = serializers.IntegerField()
    tax_cents = serializers.IntegerField()


class SalesSummaryOut(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    store_id = serializers.UUIDField(allow_null=True)
    sales_count = serializers.IntegerField()
    items_count = serializers.IntegerField()
    total_cents = serializers.IntegerField()
    tax_cents = serializers.IntegerField()
    refunds_cents = serializers.IntegerField()
    net_cents = serializers.IntegerField()
    voided_count = serializers.IntegerField()
    by_day = DayOut(many=True)
