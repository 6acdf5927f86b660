from __future__ import annotations

from rest_framework import serializers

from cloud_api.catalog.models import Category, PriceHistory, Product, SoldBy, TaxClass, TaxCode
from cloud_api.core.fields import CENTS_MAX, NameField, StrictIntegerField


class TaxClassOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = TaxClass
        fields = ["id", "code", "name", "rate_basis_points", "prices_include_tax"]


class CategoryOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Category
        fields = ["id", "name", "created_at", "updated_at"]


class CategoryIn(serializers.Serializer):
    name = NameField(max_length=120)


class ProductOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    category_id = serializers.UUIDField(source="category.uuid", read_only=True, allow_null=True)
    tax_class = serializers.CharField(source="tax_class.code", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "barcode",
            "sku",
            "price_cents",
            "cost_price_cents",
            "category_id",
            "tax_class",
            "sold_by",
            "active",
            "created_at",
            "updated_at",
        ]


class ProductIn(serializers.Serializer):
    name = NameField(max_length=200)
    barcode = serializers.CharField(
        max_length=64, required=False, allow_null=True, allow_blank=True, default=None
    )
    sku = serializers.CharField(
        max_length=64,
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="The shop's item code; for weighed items the scale's PLU. Unique when set.",
    )
    price_cents = StrictIntegerField(min_value=0, max_value=CENTS_MAX)
    category_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    tax_class = serializers.ChoiceField(choices=TaxCode.choices, default=TaxCode.STANDARD)
    sold_by = serializers.ChoiceField(choices=SoldBy.choices, default=SoldBy.UNIT)


class ProductUpdateIn(serializers.Serializer):
    name = NameField(max_length=200, required=False)
    barcode = serializers.CharField(
        max_length=64, required=False, allow_null=True, allow_blank=True
    )
    sku = serializers.CharField(
        max_length=64,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Null or empty removes it.",
    )
    price_cents = StrictIntegerField(min_value=0, max_value=CENTS_MAX, required=False)
    category_id = serializers.UUIDField(required=False, allow_null=True)
    tax_class = serializers.ChoiceField(choices=TaxCode.choices, required=False)
    sold_by = serializers.ChoiceField(choices=SoldBy.choices, required=False)
    active = serializers.BooleanField(required=False)


class PriceHistoryOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    changed_by = serializers.EmailField(source="changed_by.email", read_only=True, allow_null=True)
    changed_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = PriceHistory
        fields = ["id", "price_cents", "changed_by", "changed_at"]
