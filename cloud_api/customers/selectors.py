from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from cloud_api.core.principal import Principal
from cloud_api.customers.models import Customer, CustomerCampaign
from cloud_api.notifications.models import DeliveryStatus


def customer_list(*, principal: Principal) -> QuerySet[Customer]:
    """An organisation's customers; a store-bound manager sees their store's."""
    customers = Customer.objects.filter(organisation_id=principal.organisation_id)
    return principal.scope_stores(customers).select_related("store").order_by("name", "id")


def campaign_list(*, principal: Principal) -> QuerySet[CustomerCampaign]:
    """Campaigns with how many of their messages reached each delivery status."""
    campaigns = CustomerCampaign.objects.filter(organisation_id=principal.organisation_id)
    counts = {
        f"{status}_count": Count(
            "messages", filter=Q(messages__delivery__status=status), distinct=True
        )
        for status in DeliveryStatus.values
    }
    return (
        principal.scope_stores(campaigns)
        .select_related("store")
        .annotate(**counts)
        .order_by("-created_at", "-id")
    )
