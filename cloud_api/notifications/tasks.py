from __future__ import annotations

import structlog
from celery import shared_task

log = structlog.get_logger(__name__)


@shared_task(ignore_result=True)
def deliver_notifications(notification_uuids: list[str]) -> int:
    """Push notifications beyond the inbox. The WhatsApp channel arrives with integrations/;
    until then delivery is the inbox itself, and this task only records that it ran."""
    log.info("notifications_delivered", count=len(notification_uuids), channel="inbox")
    return len(notification_uuids)
