from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from cloud_api.catalog.models import Product, SoldBy, TaxCode


class ProductFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", max_length=100)
    barcode = django_filters.CharFilter(field_name="barcode", max_length=64)
    sku = django_filters.CharFilter(field_name="sku", max_length=64)
    category_id = django_filters.UUIDFilter(field_name="category__uuid")
    tax_class = django_filters.ChoiceFilter(field_name="tax_class__code", choices=TaxCode.choices)
    sold_by = django_filters.ChoiceFilter(choices=SoldBy.choices)
    active = django_filters.BooleanFilter()

    class Meta:
        model = Product
        fields = ["search", "barcode", "sku", "category_id", "tax_class", "sold_by", "active"]

    def filter_search(
        self, queryset: QuerySet[Product], name: str, value: str
    ) -> QuerySet[Product]:
        return queryset.filter(Q(name__icontains=value) | Q(barcode=value) | Q(sku=value))
