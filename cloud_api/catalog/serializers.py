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


class CatalogImportIn(serializers.Serializer):
    """A CSV or XLSX catalog, uploaded as ``file`` (multipart) or as ``file_name`` and
    ``content_base64`` (JSON)."""

    file = serializers.FileField(required=False)
    file_name = serializers.CharField(required=False, max_length=200)
    content_base64 = serializers.CharField(required=False, trim_whitespace=False)
    map = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z_]+=.+$", max_length=200),
        required=False,
        default=list,
        max_length=20,
        help_text="COLUMN=HEADER pairs, e.g. price=Selling Price",
    )
    dry_run = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict) -> dict:
        if attrs.get("file") is None and not (
            attrs.get("file_name") and attrs.get("content_base64")
        ):
            raise serializers.ValidationError(
                {"file": ["Upload a file, or give file_name and content_base64."]}
            )
        return attrs


class CatalogImportOut(serializers.Serializer):
    imported = serializers.BooleanField(help_text="False for a dry run: nothing was written")
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    categories_created = serializers.ListField(child=serializers.CharField())
