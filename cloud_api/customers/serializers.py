from __future__ import annotations

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cloud_api.customers.models import Customer, CustomerCampaign
from cloud_api.notifications.models import DeliveryStatus

# Meta's template names: lowercase letters, digits and underscores.
TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")


class CustomerOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    store_id = serializers.UUIDField(source="store.uuid", read_only=True, allow_null=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "phone",
            "store_id",
            "whatsapp_consent",
            "consent_at",
            "consent_source",
            "opted_out_at",
            "created_at",
        ]


class CustomerIn(serializers.Serializer):
    name = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")
    phone = serializers.CharField(
        max_length=32, help_text="07.. / +254.. or any number with its country code."
    )
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    whatsapp_consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The customer agreed to receive receipts and offers on WhatsApp.",
    )


class CustomerUpdateIn(serializers.Serializer):
    name = serializers.CharField(max_length=120, allow_blank=True, required=False)
    phone = serializers.CharField(max_length=32, required=False)
    store_id = serializers.UUIDField(required=False, allow_null=True)
    whatsapp_consent = serializers.BooleanField(required=False)


class CampaignIn(serializers.Serializer):
    store_id = serializers.UUIDField()
    template = serializers.RegexField(
        TEMPLATE_NAME.pattern,
        help_text="The name of a template Meta approved, e.g. weekend_offer.",
        error_messages={"invalid": "Template names use lowercase letters, digits and _."},
    )
    language = serializers.RegexField(
        r"^[a-z]{2,3}(_[A-Z]{2})?$",
        required=False,
        default="en",
        error_messages={"invalid": "Give the template's language code, e.g. en or en_US."},
    )
    parameters = serializers.ListField(
        child=serializers.CharField(max_length=1024, allow_blank=False),
        max_length=10,
        required=False,
        default=list,
        help_text="The template body's {{1}}, {{2}}... in order.",
    )


class CampaignOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    store_id = serializers.UUIDField(source="store.uuid", read_only=True)
    delivery = serializers.SerializerMethodField()

    class Meta:
        model = CustomerCampaign
        fields = [
            "id",
            "store_id",
            "template",
            "language",
            "parameters",
            "recipients",
            "delivery",
            "created_at",
        ]

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "integer"}, "example": {"sent": 3}}
    )
    def get_delivery(self, campaign: CustomerCampaign) -> dict[str, int]:
        """How many messages are at each delivery status (queued, sent, delivered...)."""
        return {
            status: int(getattr(campaign, f"{status}_count", 0) or 0)
            for status in DeliveryStatus.values
        }
