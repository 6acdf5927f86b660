"""Notifications nobody's action raises: a till gone quiet, the day's summary per store."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from cloud_api.accounts.models import Store, Terminal
from cloud_api.notifications.models import Notification
from cloud_api.notifications.services import notification_notify_store
from cloud_api.sales.models import Refund, Sale, SaleStatus


def silent_terminals_notify() -> int:
    """One notice per silence: a till not heard from (no push, no pull) for longer than
    ``ASIRIA_TERMINAL_SILENT_MINUTES``; again only after it has been heard from since."""
    now = timezone.now()
    quiet_since = now - timedelta(minutes=settings.ASIRIA_TERMINAL_SILENT_MINUTES)
    epoch = now - timedelta(days=36500)
    terminals = (
        Terminal.objects.filter(
            enrolled_at__isnull=False, revoked_at__isnull=True, store__active=True
        )
        .annotate(
            heard_at=Greatest(
                Coalesce("last_push_at", "enrolled_at"), Coalesce("last_pull_at", "enrolled_at")
            )
        )
        .filter(heard_at__lt=quiet_since)
        .select_related("store", "store__organisation")
    )
    sent = 0
    for terminal in terminals:
        already = Notification.objects.filter(
            store=terminal.store,
            kind="terminal_silent",
            data__terminal_id=str(terminal.uuid),
            created_at__gte=terminal.heard_at or epoch,
        ).exists()
        if already:
            continue
        heard = terminal.heard_at.astimezone(
            zoneinfo.ZoneInfo(terminal.store.organisation.time_zone)
        )
        notification_notify_store(
            store=terminal.store,
            kind="terminal_silent",
            message=(
                f"Till {terminal.name} ({terminal.code}) at {terminal.store.name} has not been "
                f"in touch since {heard:%d %b %H:%M}. Check that it is on and online; its sales "
                "reach head office only when it syncs."
            ),
            data={"terminal_id": str(terminal.uuid), "store_id": str(terminal.store.uuid)},
        )
        sent += 1
    return sent


def daily_summaries_notify() -> int:
    """Today's (store-local date) sales, refunds and voids of every active store."""
    sent = 0
    for store in Store.objects.filter(active=True).select_related("organisation"):
        today = timezone.now().astimezone(zoneinfo.ZoneInfo(store.organisation.time_zone)).date()
        if Notification.objects.filter(
            store=store, kind="daily_summary", data__date=today.isoformat()
        ).exists():
            continue
        sales = Sale.objects.filter(store=store, business_date=today).aggregate(
            count=Count("id", filter=Q(status=SaleStatus.COMPLETED)),
            total=Sum("total_cents", filter=Q(status=SaleStatus.COMPLETED)),
            voided=Count("id", filter=Q(status=SaleStatus.VOIDED)),
        )
        refunded = (
            Refund.objects.filter(sale__store=store, business_date=today).aggregate(
                total=Sum("amount_cents")
            )["total"]
            or 0
        )
        currency = store.organisation.currency
        message = (
            f"{store.name}, {today:%a %d %b}: {sales['count']} sales, "
            f"{currency} {_money(sales['total'] or 0)} taken, "
            f"{currency} {_money(refunded)} refunded, {sales['voided']} voided."
        )
        notification_notify_store(
            store=store,
            kind="daily_summary",
            message=message,
            data={"store_id": str(store.uuid), "date": today.isoformat()},
        )
        sent += 1
    return sent


def _money(cents: int) -> str:
    """Whole shillings when there are no cents (how a shop owner reads takings)."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{whole:,}" if fraction == 0 else f"{sign}{whole:,}.{fraction:02d}"
