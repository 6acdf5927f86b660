"""Background delivery of notifications (Celery on Redis).

``deliver_notifications`` is queued after the commit that wrote the inbox rows; it plans one
WhatsApp delivery per person who opted in and queues ``send_whatsapp`` for each. Every task is
idempotent (``delivery_send`` claims its row under a lock), so a task delivered twice after a
worker died (``acks_late``) or queued again by ``resume_deliveries`` sends nothing twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog
from celery import shared_task
from django.utils import timezone

from cloud_api.notifications import delivery, reminders

log = structlog.get_logger(__name__)
HOLD_IN_BROKER = timedelta(minutes=10)


@shared_task(ignore_result=True, acks_late=True)
def deliver_notifications(notification_uuids: list[str]) -> int:
    """Plan and queue the WhatsApp messages of new inbox notifications."""
    planned = delivery.deliveries_plan(notification_uuids=notification_uuids)
    now = timezone.now()
    for item in planned:
        if item.not_before <= now:
            send_whatsapp.delay(item.pk)
        elif item.not_before - now <= HOLD_IN_BROKER:
            send_whatsapp.apply_async((item.pk,), eta=item.not_before)
        # Longer holds (quiet hours) are left to resume_deliveries: Redis hands an ETA task
        # held past its visibility timeout (1 h) to another worker again.
    log.info("notifications_delivered", count=len(notification_uuids), whatsapp=len(planned))
    return len(planned)


@shared_task(bind=True, ignore_result=True, acks_late=True, max_retries=None)
def send_whatsapp(self: Any, delivery_id: int) -> None:
    outcome = delivery.delivery_send(delivery_id=delivery_id)
    if outcome.done or self.request.is_eager:
        # Eager (tests, the one-process demo): a held message is picked up by resume_deliveries.
        return
    raise self.retry(countdown=outcome.retry_in_s)


@shared_task(ignore_result=True)
def resume_deliveries() -> int:
    """Beat: queue again what is due but has no task waiting (a worker died, quiet hours
    ended after a restart). Extra tasks for one row are harmless."""
    due = delivery.deliveries_due()
    for delivery_id in due:
        send_whatsapp.delay(delivery_id)
    return len(due)


@shared_task(ignore_result=True)
def notify_silent_terminals() -> int:
    """Beat: tell the store when a till has not been heard from for too long."""
    return reminders.silent_terminals_notify()


@shared_task(ignore_result=True)
def send_daily_summaries() -> int:
    """Beat: each store's takings of the day to its managers, owners and head office."""
    return reminders.daily_summaries_notify()
