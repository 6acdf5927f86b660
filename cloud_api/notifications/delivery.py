"""WhatsApp delivery of notifications: who gets one, when, and one send attempt.

Each notification for a person who opted in becomes one ``NotificationDelivery`` row. Sending
it is a small state machine whose point is that a message is never sent twice:

* ``queued`` -> ``sending`` is committed *before* Graph is called, with ``sending_since``;
* Graph's wamid is stored right after the call (``sent``); the status webhook moves it on;
* a worker killed between the two leaves ``sending`` without a wamid. Graph may or may not have
  the message; if it has, its "sent" status webhook carries our delivery's id back
  (``biz_opaque_callback_data``) and completes the row. Only when no such webhook came within
  ``ASIRIA_WHATSAPP_RESEND_AFTER_S`` is the message sent again: Graph never accepted it.
"""

from __future__ import annotations

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cloud_api.integrations.whatsapp.client import WhatsAppClient, WhatsAppConfig, WhatsAppError
from cloud_api.notifications.models import (
    DELIVERY_STATUS_RANK,
    DeliveryStatus,
    Notification,
    NotificationChannel,
    NotificationDelivery,
    NotificationPreference,
)

CUSTOMER_WINDOW = timedelta(hours=24)
FINISHED = {DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ}


@dataclass(frozen=True)
class Outcome:
    """What became of one attempt: ``done``, or try again in ``retry_in_s`` seconds."""

    done: bool
    retry_in_s: float = 0.0

    @classmethod
    def finished(cls) -> Outcome:
        return cls(done=True)

    @classmethod
    def later(cls, seconds: float) -> Outcome:
        return cls(done=False, retry_in_s=max(0.0, seconds))


def deliveries_plan(*, notification_uuids: list[str]) -> list[NotificationDelivery]:
    """One WhatsApp delivery per notification whose person wants it (none when WhatsApp is not
    configured). Planning twice creates nothing new."""
    if not WhatsAppConfig.from_settings().configured:
        return []
    notifications = Notification.objects.filter(uuid__in=notification_uuids).select_related(
        "organisation"
    )
    preferences = {
        preference.user_id: preference
        for preference in NotificationPreference.objects.filter(
            user_id__in={item.user_id for item in notifications},
            whatsapp_opt_in=True,
            user__is_active=True,
        ).exclude(whatsapp_phone="")
    }
    now = timezone.now()
    planned = []
    for notification in notifications:
        preference = preferences.get(notification.user_id)
        if preference is None or (preference.kinds and notification.kind not in preference.kinds):
            continue
        delivery, _ = NotificationDelivery.objects.get_or_create(
            notification=notification,
            channel=NotificationChannel.WHATSAPP,
            defaults={
                "to": preference.whatsapp_phone,
                "not_before": quiet_hours_end(preference, notification.organisation.time_zone, now)
                or now,
            },
        )
        planned.append(delivery)
    return planned


def quiet_hours_end(
    preference: NotificationPreference, time_zone: str, now: datetime
) -> datetime | None:
    """When the person's quiet hours (in the organisation's time zone) end, if ``now`` falls
    inside them; ``None`` otherwise. A span like 21:00-07:00 runs over midnight."""
    start, end = preference.quiet_start, preference.quiet_end
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(zoneinfo.ZoneInfo(time_zone))
    clock = local.time()
    inside = start <= clock < end if start < end else clock >= start or clock < end
    if not inside:
        return None
    end_day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=local.tzinfo)


def delivery_send(*, delivery_id: int, client: WhatsAppClient | None = None) -> Outcome:
    """One attempt at sending a delivery; safe to call again for the same row at any time."""
    client = client or WhatsAppClient(WhatsAppConfig.from_settings())
    claimed = _claim(delivery_id)
    if isinstance(claimed, Outcome):
        return claimed
    delivery, use_text = claimed
    try:
        wamid = _call_graph(client, delivery, use_text=use_text)
    except WhatsAppError as error:
        return _failed_attempt(delivery, error)
    _record_sent(delivery.pk, wamid)
    return Outcome.finished()


@transaction.atomic
def _claim(delivery_id: int) -> Outcome | tuple[NotificationDelivery, bool]:
    delivery = (
        NotificationDelivery.objects.select_for_update()
        .select_related(
            "notification__user__notification_preference",
            "notification__store",
            "customer_message__customer",
        )
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status in FINISHED or delivery.status == DeliveryStatus.FAILED:
        return Outcome.finished()
    now = timezone.now()
    if delivery.status == DeliveryStatus.SENDING:
        resend_at = (delivery.sending_since or now) + timedelta(
            seconds=settings.ASIRIA_WHATSAPP_RESEND_AFTER_S
        )
        if now < resend_at:  # another worker is on it, or Graph's webhook may still come
            return Outcome.later((resend_at - now).total_seconds())
    elif delivery.not_before > now:
        return Outcome.later((delivery.not_before - now).total_seconds())
    wants_it, last_inbound_at = _recipient_consent(delivery)
    if not wants_it:
        _finish(delivery, DeliveryStatus.FAILED, "The person opted out of WhatsApp.")
        return Outcome.finished()
    if delivery.attempts >= settings.ASIRIA_WHATSAPP_MAX_ATTEMPTS:
        _finish(delivery, DeliveryStatus.FAILED, delivery.last_error or "Too many attempts.")
        return Outcome.finished()
    delivery.status = DeliveryStatus.SENDING
    delivery.sending_since = now
    delivery.attempts += 1
    delivery.save(update_fields=["status", "sending_since", "attempts", "updated_at"])
    # A customer message is a template whatever the window: receipts and offers are templates.
    in_window = bool(
        delivery.customer_message_id is None
        and last_inbound_at
        and now - last_inbound_at < CUSTOMER_WINDOW
    )
    return delivery, in_window


def _recipient_consent(delivery: NotificationDelivery) -> tuple[bool, datetime | None]:
    """Does the recipient still want WhatsApp messages, and when did they last write to us."""
    content = delivery.customer_message
    if content is not None:
        customer = content.customer
        return customer.may_message, customer.last_inbound_at
    notification = delivery.notification
    if notification is None:  # neither a staff notification nor a customer message: nobody
        return False, None
    preference = getattr(notification.user, "notification_preference", None)
    if preference is None or not preference.whatsapp_opt_in:
        return False, None
    return True, preference.last_inbound_at


def _call_graph(client: WhatsAppClient, delivery: NotificationDelivery, *, use_text: bool) -> str:
    content = delivery.customer_message
    if content is not None:
        return client.send_template(
            to=delivery.to,
            name=content.template,
            language=content.language,
            parameters=[str(value) for value in content.parameters],
            callback_data=str(delivery.uuid),
        )
    notification = delivery.notification
    if notification is None:  # _claim finishes such a delivery before it gets here
        raise ValueError(f"Delivery {delivery.uuid} has nothing to send.")
    message = notification.message
    if use_text:
        return client.send_text(to=delivery.to, body=message, callback_data=str(delivery.uuid))
    return client.send_template(
        to=delivery.to,
        name=settings.ASIRIA_WHATSAPP_TEMPLATE,
        language=settings.ASIRIA_WHATSAPP_TEMPLATE_LANGUAGE,
        parameters=[message],
        callback_data=str(delivery.uuid),
    )


@transaction.atomic
def _failed_attempt(delivery: NotificationDelivery, error: WhatsAppError) -> Outcome:
    current = NotificationDelivery.objects.select_for_update().get(pk=delivery.pk)
    if current.status != DeliveryStatus.SENDING:
        return Outcome.finished()
    retry_after = 0 if error.needs_template else error.retry_after_s
    if error.needs_template and delivery.notification is not None:
        # Graph says the 24-hour window is closed: the next try is a template.
        NotificationPreference.objects.filter(user_id=delivery.notification.user_id).update(
            last_inbound_at=None
        )
    current.last_error = f"{error.code or 'network'}: {error.message}"[:500]
    if retry_after is None or current.attempts >= settings.ASIRIA_WHATSAPP_MAX_ATTEMPTS:
        _finish(current, DeliveryStatus.FAILED, current.last_error)
        return Outcome.finished()
    backoff = retry_after * (2 ** max(0, current.attempts - 1)) if retry_after else 0
    current.status = DeliveryStatus.QUEUED
    current.sending_since = None
    current.not_before = timezone.now() + timedelta(seconds=backoff)
    current.save(
        update_fields=["status", "sending_since", "not_before", "last_error", "updated_at"]
    )
    return Outcome.later(backoff)


@transaction.atomic
def _record_sent(delivery_id: int, wamid: str) -> None:
    delivery = NotificationDelivery.objects.select_for_update().get(pk=delivery_id)
    delivery.wamid = wamid
    if (
        DELIVERY_STATUS_RANK[DeliveryStatus(delivery.status)]
        < DELIVERY_STATUS_RANK[DeliveryStatus.SENT]
    ):
        delivery.status = DeliveryStatus.SENT
        delivery.status_at = timezone.now()
    delivery.save(update_fields=["wamid", "status", "status_at", "updated_at"])


def _finish(delivery: NotificationDelivery, status: str, error: str) -> None:
    delivery.status = status
    delivery.last_error = error[:500]
    delivery.status_at = timezone.now()
    delivery.save(update_fields=["status", "last_error", "status_at", "updated_at"])


def deliveries_due(*, limit: int = 500) -> list[int]:
    """Deliveries a worker should look at now: queued and due, or stuck in ``sending``."""
    now = timezone.now()
    stuck = now - timedelta(seconds=settings.ASIRIA_WHATSAPP_RESEND_AFTER_S)
    queued = NotificationDelivery.objects.filter(
        status=DeliveryStatus.QUEUED, not_before__lte=now
    ).values_list("pk", flat=True)[:limit]
    sending = NotificationDelivery.objects.filter(
        status=DeliveryStatus.SENDING, sending_since__lte=stuck
    ).values_list("pk", flat=True)[:limit]
    return [*queued, *sending]


def status_event_apply(event: dict[str, Any]) -> bool:
    """One entry of a status webhook's ``statuses``; ``True`` when it matched a delivery."""
    status = event.get("status")
    if status not in ("sent", "delivered", "read", "failed"):
        return False
    wamid = str(event.get("id") or "")
    callback = str(event.get("biz_opaque_callback_data") or "")
    with transaction.atomic():
        delivery = (
            NotificationDelivery.objects.select_for_update().filter(wamid=wamid).first()
            if wamid
            else None
        )
        callback_uuid = _uuid_or_none(callback)
        if delivery is None and callback_uuid is not None:
            delivery = (
                NotificationDelivery.objects.select_for_update()
                .filter(uuid=callback_uuid, wamid__isnull=True)
                .first()
            )
        if delivery is None:
            return False
        fields = ["status", "status_at", "updated_at"]
        if not delivery.wamid and wamid:
            delivery.wamid = wamid
            fields.append("wamid")
        current = DELIVERY_STATUS_RANK[DeliveryStatus(delivery.status)]
        moves_on = DELIVERY_STATUS_RANK[DeliveryStatus(status)] > current
        if status == "failed":
            # A failure after delivery (another device) does not undo that it arrived.
            moves_on = delivery.status not in (DeliveryStatus.DELIVERED, DeliveryStatus.READ)
            errors = event.get("errors") or [{}]
            first = errors[0] if isinstance(errors, list) and errors else {}
            delivery.last_error = str(
                f"{first.get('code', '')}: {first.get('title') or first.get('message') or ''}"
            )[:500]
            fields.append("last_error")
        if moves_on:
            delivery.status = status
            delivery.status_at = timezone.now()
        delivery.save(update_fields=fields)
    return True


def _uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


STOP_WORDS = {"STOP", "UNSUBSCRIBE", "STOP ALL"}


def inbound_message_apply(message: dict[str, Any]) -> None:
    """A person wrote to our number: the 24-hour window opens; "STOP" opts them out."""
    sender = str(message.get("from") or "")
    if not sender.isdigit():
        return
    phone = "+" + sender
    text = ""
    if message.get("type") == "text":
        text = str((message.get("text") or {}).get("body") or "")
    now = timezone.now()
    with transaction.atomic():
        preferences = NotificationPreference.objects.select_for_update().filter(
            whatsapp_phone=phone
        )
        if " ".join(text.upper().split()) in STOP_WORDS:
            user_ids = list(preferences.values_list("user_id", flat=True))
            preferences.update(whatsapp_opt_in=False, opted_out_at=now, last_inbound_at=now)
            NotificationDelivery.objects.filter(
                notification__user_id__in=user_ids, status=DeliveryStatus.QUEUED
            ).update(
                status=DeliveryStatus.FAILED,
                last_error="The person replied STOP.",
                status_at=now,
                updated_at=now,
            )
        else:
            preferences.update(last_inbound_at=now)
