from __future__ import annotations

from rest_framework import serializers

from cloud_api.payments.models import MpesaC2BPayment, MpesaStkAttempt


class StkStartIn(serializers.Serializer):
    store_id = serializers.UUIDField()
    phone = serializers.CharField(max_length=32)
    amount_cents = serializers.IntegerField(min_value=1, max_value=10**12)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class StkStartOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = MpesaStkAttempt
        fields = ["id", "status", "checkout_request_id"]


class StkAttemptOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = MpesaStkAttempt
        fields = [
            "id",
            "status",
            "result_code",
            "result_desc",
            "mpesa_receipt",
            "amount_cents",
            "phone",
        ]


class C2BClaimIn(serializers.Serializer):
    store_id = serializers.UUIDField()
    phone = serializers.CharField(max_length=32)
    amount_cents = serializers.IntegerField(min_value=1, max_value=10**12)


class C2BPaymentOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    mpesa_receipt = serializers.CharField(source="trans_id", read_only=True)
    phone = serializers.CharField(source="msisdn", read_only=True)
    paid_at = serializers.DateTimeField(source="trans_time", read_only=True)

    class Meta:
        model = MpesaC2BPayment
        fields = [
            "id",
            "mpesa_receipt",
            "amount_cents",
            "phone",
            "first_name",
            "paid_at",
            "claimed_at",
        ]
