from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cloud_api.core.bounds import QTY_MAX, QTY_MILLI_MAX, ROUNDING_MAX
from cloud_api.core.fields import (
    BoundedDateTimeField,
    NameField,
    StrictIntegerField,
    cents_field,
)
from cloud_api.payments.models import Payment, PaymentMethod
from cloud_api.sales.models import Refund, RefundLine, Sale, SaleLine


def cents(**kwargs: Any) -> StrictIntegerField:
    return cents_field(**kwargs)


class SaleLineIn(serializers.Serializer):
    id = serializers.UUIDField()
    product_id = serializers.UUIDField()
    barcode = serializers.CharField(max_length=64, allow_null=True, required=False, default=None)
    name = NameField(max_length=200)
    qty = StrictIntegerField(min_value=1, max_value=QTY_MAX, allow_null=True)
    qty_milli = StrictIntegerField(min_value=1, max_value=QTY_MILLI_MAX, allow_null=True)
    unit_price_cents = cents()
    discount_cents = cents()
    tax_cents = cents()
    total_cents = cents()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("qty") is None) == (attrs.get("qty_milli") is None):
            raise serializers.ValidationError(
                {"qty": ["Give exactly one of qty (count) or qty_milli (weight)."]}
            )
        return attrs


class PaymentIn(serializers.Serializer):
    id = serializers.UUIDField()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    amount_cents = cents()
    reference = serializers.CharField(max_length=64, allow_null=True, required=False, default=None)


class SaleIn(serializers.Serializer):
    """The ``sale.completed`` payload of ARCHITECTURE 6.1, plus ``store_id`` for callers that
    are not bound to one store (owners)."""

    id = serializers.UUIDField()
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    receipt_no = serializers.RegexField(
        r"^[A-Z0-9]+-[A-Z0-9]+-[0-9]+$",
        max_length=40,
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "Tills: their own number, under their prefix (S01-T02-000123). People: ignored; "
            "the server numbers their sales in the store's own series (S01-W-000001)."
        ),
    )
    cashier_id = serializers.UUIDField()
    shift_id = serializers.UUIDField(allow_null=True, required=False, default=None)
    completed_at = BoundedDateTimeField()
    currency = serializers.RegexField(r"^[A-Z]{3}$")
    # many=True hands max_length to the ListSerializer, which the stubs don't see.
    lines = SaleLineIn(many=True, allow_empty=False, max_length=1000)  # type: ignore[call-arg]
    payments = PaymentIn(many=True, allow_empty=False, max_length=20)  # type: ignore[call-arg]
    subtotal_cents = cents()
    discount_cents = cents()
    tax_cents = cents()
    total_cents = cents()
    change_cents = cents()
    # Signed: cash rounding kept (+) or given (-); payments - change = total + rounding.
    rounding_cents = StrictIntegerField(
        min_value=-ROUNDING_MAX, max_value=ROUNDING_MAX, required=False, default=0
    )


class SaleLineOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    product_id = serializers.UUIDField(source="product.uuid", read_only=True)

    class Meta:
        model = SaleLine
        fields = [
            "id",
            "product_id",
            "barcode",
            "name",
            "qty",
            "qty_milli",
            "unit_price_cents",
            "discount_cents",
            "tax_cents",
            "total_cents",
            "catalog_price_cents",
            "refunded_milli",
        ]


class SalePaymentOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "method", "amount_cents", "reference", "status"]


class SaleOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    store_id = serializers.UUIDField(source="store.uuid", read_only=True)
    terminal_id = serializers.UUIDField(source="terminal.uuid", read_only=True, allow_null=True)
    cashier_id = serializers.UUIDField(source="cashier.uuid", read_only=True)
    lines = SaleLineOut(many=True, read_only=True)
    payments = SalePaymentOut(many=True, read_only=True)

    class Meta:
        model = Sale
        fields = [
            "id",
            "store_id",
            "terminal_id",
            "cashier_id",
            "shift_id",
            "receipt_no",
            "completed_at",
            "business_date",
            "currency",
            "subtotal_cents",
            "discount_cents",
            "tax_cents",
            "total_cents",
            "change_cents",
            "rounding_cents",
            "items_count",
            "refunded_cents",
            "status",
            "price_mismatch",
            "tax_mismatch",
            "voided_at",
            "void_reason",
            "lines",
            "payments",
            "created_at",
        ]


class VoidIn(serializers.Serializer):
    reason = NameField(max_length=255)


class RefundLineIn(serializers.Serializer):
    line_id = serializers.UUIDField()
    qty = StrictIntegerField(min_value=1, max_value=QTY_MAX, required=False, allow_null=True)
    qty_milli = StrictIntegerField(
        min_value=1, max_value=QTY_MILLI_MAX, required=False, allow_null=True
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("qty") is None) == (attrs.get("qty_milli") is None):
            raise serializers.ValidationError({"qty": ["Give exactly one of qty or qty_milli."]})
        return attrs


class RefundIn(serializers.Serializer):
    id = serializers.UUIDField(required=False, allow_null=True, default=None)
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reason = NameField(max_length=255)
    lines = RefundLineIn(many=True, allow_empty=False, max_length=1000)  # type: ignore[call-arg]


class RefundLineOut(serializers.ModelSerializer):
    line_id = serializers.UUIDField(source="sale_line.uuid", read_only=True)

    class Meta:
        model = RefundLine
        fields = ["line_id", "qty_milli", "amount_cents", "tax_cents"]


class RefundOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    sale_id = serializers.UUIDField(source="sale.uuid", read_only=True)
    lines = RefundLineOut(many=True, read_only=True)

    class Meta:
        model = Refund
        fields = [
            "id",
            "sale_id",
            "refund_no",
            "method",
            "reason",
            "amount_cents",
            "tax_cents",
            "business_date",
            "lines",
            "created_at",
        ]
