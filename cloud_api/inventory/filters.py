from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from cloud_api.inventory.models import MovementReason, StockLevel, StockMovement


class StockLevelFilter(django_filters.FilterSet):
    store_id = django_filters.UUIDFilter(field_name="store__uuid")
    product_id = django_filters.UUIDFilter(field_name="product__uuid")
    low = django_filters.BooleanFilter(method="filter_low")

    class Meta:
        model = StockLevel
        fields = ["store_id", "product_id", "low"]

    def filter_low(
        self, queryset: QuerySet[StockLevel], name: str, value: bool
    ) -> QuerySet[StockLevel]:
        from django.db.models import F

        low = queryset.filter(
            low_stock_threshold_milli__isnull=False,
            on_hand_milli__lte=F("low_stock_threshold_milli"),
        )
        return low if value else queryset.exclude(pk__in=low.values("pk"))


class MovementFilter(django_filters.FilterSet):
    store_id = django_filters.UUIDFilter(field_name="store__uuid")
    product_id = django_filters.UUIDFilter(field_name="product__uuid")
    reason = django_filters.ChoiceFilter(choices=MovementReason.choices)

    class Meta:
        model = StockMovement
        fields = ["store_id", "product_id", "reason"]
