from __future__ import annotations

from rest_framework import serializers

from cloud_api.core.bounds import QTY_MILLI_MAX
from cloud_api.core.fields import CENTS_MAX, NameField, StrictIntegerField
from cloud_api.purchases.models import OrderStatus, PurchaseOrder, PurchaseOrderLine, Supplier


class SupplierOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Supplier
        fields = ["id", "name", "contact", "phone", "email", "address", "created_at"]


class SupplierIn(serializers.Serializer):
    name = NameField(max_length=150)
    contact = NameField(max_length=150, required=False, allow_blank=True)
    phone = serializers.RegexField(r"^\+?[0-9 ()-]{0,31}$", required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = NameField(max_length=255, required=False, allow_blank=True)


class SupplierUpdateIn(SupplierIn):
    name = NameField(max_length=150, required=False)


class OrderLineIn(serializers.Serializer):
    product_id = serializers.UUIDField()
    quantity_milli = StrictIntegerField(min_value=1, max_value=QTY_MILLI_MAX)
    cost_price_cents = StrictIntegerField(min_value=0, max_value=CENTS_MAX)


class OrderIn(serializers.Serializer):
    supplier_id = serializers.UUIDField()
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    reference = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)
    notes = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    lines = OrderLineIn(many=True, allow_empty=False, max_length=500)  # type: ignore[call-arg]


class ReceiveLineIn(serializers.Serializer):
    line_id = serializers.UUIDField()
    quantity_milli = StrictIntegerField(min_value=1, max_value=QTY_MILLI_MAX)


class ReceiveIn(serializers.Serializer):
    """Leave ``lines`` out to receive everything still outstanding."""

    lines = ReceiveLineIn(  # type: ignore[call-arg]  # max_length goes to the ListSerializer
        many=True, required=False, allow_empty=False, max_length=500
    )


class OrderLineOut(serializers.ModelSerializer):
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


class OrderOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    supplier_id = serializers.UUIDField(source="supplier.uuid", read_only=True)
    store_id = serializers.UUIDField(source="store.uuid", read_only=True)
    status = serializers.ChoiceField(choices=OrderStatus.choices, read_only=True)
    lines = OrderLineOut(many=True, read_only=True)

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
