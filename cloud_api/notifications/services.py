"""Notification writes. Rows are written in the caller's transaction (so they roll back with
it); delivery beyond the inbox (WhatsApp, e-mail) is a Celery task queued after commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from uuid6 import uuid7

from cloud_api.accounts.models import Role, Store, User
from cloud_api.notifications.models import (
    Notification,
    NotificationPreference,
    NotificationStatus,
)
from cloud_api.sync.services import changes_record


@transaction.atomic(savepoint=False)
def notification_notify_store(
    *, store: Store, kind: str, message: str, data: dict[str, Any] | None = None
) -> list[Notification]:
    """Tell the store's managers, the organisation's owners and head office."""
    return notifications_notify_store(store=store, messages=[(kind, message, data or {})])


@transaction.atomic(savepoint=False)
def notifications_notify_store(
    *, store: Store, messages: list[tuple[str, str, dict[str, Any]]]
) -> list[Notification]:
    """Several ``(kind, message, data)`` at once (a pushed batch): one recipients query, one
    insert, one delivery task."""
    if not messages:
        return []
    recipients = list(
        User.objects.filter(organisation_id=store.organisation_id, is_active=True).filter(
            Q(role__in=[Role.OWNER, Role.HEAD_OFFICE]) | Q(role=Role.MANAGER, store=store)
        )
    )
    notice_ids = [uuid7() for _ in messages]
    notifications = [
        Notification(
            organisation_id=store.organisation_id,
            user=user,
            store=store,
            kind=kind,
            message=message[:500],
            data=data,
            notice_id=notice_id,
        )
        for notice_id, (kind, message, data) in zip(notice_ids, messages, strict=True)
        for user in recipients
    ]
    Notification.objects.bulk_create(notifications)
    if notifications:
        notices_changed(organisation_id=store.organisation_id, store_id=store.pk, ids=notice_ids)
    if notifications:
        from cloud_api.notifications.tasks import deliver_notifications

        uuids = [str(item.uuid) for item in notifications]
        transaction.on_commit(lambda: deliver_notifications.delay(uuids))
    return notifications


def notices_changed(*, organisation_id: int, store_id: int, ids: Sequence[UUID]) -> None:
    """The store's tills pull these notices again (new, or someone read them)."""
    changes_record(
        organisation_id=organisation_id, entity="notice", entity_ids=list(ids), store_id=store_id
    )


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.status != NotificationStatus.READ:
        notification.status = NotificationStatus.READ
        notification.read_at = timezone.now()
        notification.save(update_fields=["status", "read_at", "updated_at"])
        if notification.notice_id is not None and notification.store_id is not None:
            notices_changed(
                organisation_id=notification.organisation_id,
                store_id=notification.store_id,
                ids=[notification.notice_id],
            )
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    unread = Notification.objects.filter(user=user, status=NotificationStatus.UNREAD)
    notices = list(
        unread.filter(notice_id__isnull=False, store__isnull=False)
        .values_list("store_id", "notice_id")
        .distinct()
    )
    marked = unread.update(
        status=NotificationStatus.READ, read_at=timezone.now(), updated_at=timezone.now()
    )
    organisation_id = user.organisation_id
    if organisation_id is None:  # a person of no organisation has no store notices
        return marked
    for store_id in {store for store, _ in notices}:
        notices_changed(
            organisation_id=organisation_id,
            store_id=store_id,
            ids=[n for store, n in notices if store == store_id and n is not None],
        )
    return marked


@transaction.atomic
def notice_mark_read_at_till(
    *, store: Store, notice_id: UUID, reader: User, read_at: datetime
) -> int:
    """A manager read a store notice on one of the store's tills: their own inbox row is read
    too (nobody else's). Returns how many rows changed (0: already read, or not theirs)."""
    marked = Notification.objects.filter(
        notice_id=notice_id, store=store, user=reader, status=NotificationStatus.UNREAD
    ).update(status=NotificationStatus.READ, read_at=read_at, updated_at=timezone.now())
    if marked:
        notices_changed(organisation_id=store.organisation_id, store_id=store.pk, ids=[notice_id])
    return marked


@transaction.atomic
def notification_preference_set(*, user: User, values: dict[str, Any]) -> NotificationPreference:
    """Opting in again (after a STOP) is the person's own choice, made here."""
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    for field, value in values.items():
        setattr(preference, field, value)
    if values.get("whatsapp_opt_in"):
        preference.opted_out_at = None
    preference.save()
    return preference


def deliveries_queue(*, delivery_ids: list[int]) -> None:
    """Hand WhatsApp deliveries to the workers, one ``send_whatsapp`` task each, once the
    current transaction commits (at once outside one). The way other apps (customer receipts
    and campaigns) send through this app's delivery machinery."""
    from cloud_api.notifications.tasks import send_whatsapp

    def queue() -> None:
        for delivery_id in delivery_ids:
            send_whatsapp.delay(delivery_id)

    transaction.on_commit(queue)
