"""Background work of campaigns: queue one ``send_whatsapp`` task per delivery."""

from __future__ import annotations

from celery import shared_task

from cloud_api.notifications.models import DeliveryStatus, NotificationDelivery
from cloud_api.notifications.services import deliveries_queue


@shared_task(ignore_result=True, acks_late=True)
def dispatch_campaign(campaign_id: int) -> int:
    """Queue the campaign's waiting messages; running it twice sends nothing twice
    (``delivery_send`` claims each row under a lock)."""
    due = list(
        NotificationDelivery.objects.filter(
            customer_message__campaign_id=campaign_id, status=DeliveryStatus.QUEUED
        ).values_list("pk", flat=True)
    )
    deliveries_queue(delivery_ids=due)
    return len(due)
