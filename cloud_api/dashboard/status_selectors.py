"""The dashboard's lists of things to act on: low stock with an order suggestion, the tills'
health, and the person's notifications."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import BigIntegerField, Case, F, QuerySet, Sum, When
from django.utils import timezone

from cloud_api.accounts.models import Store, Terminal
from cloud_api.accounts.selectors import terminal_list
from cloud_api.core.principal import Principal
from cloud_api.dashboard.rows import StockAlert, TillHealth
from cloud_api.inventory.models import StockLevel
from cloud_api.notifications.models import Notification
from cloud_api.notifications.selectors import notification_list
from cloud_api.sales.models import SaleLine, SaleStatus

STOCK_ALERTS = 50
# The order suggestion covers this many days of the recent rate of sale, on top of the
# store's own low-stock line; the rate is read over the last RATE_DAYS days.
COVER_DAYS = 14
RATE_DAYS = 28
UNIT_MILLI = 1000


def stock_alerts(*, principal: Principal, today: date, store: Store | None) -> list[StockAlert]:
    """Products at or below their store's low-stock line, lowest first, each with how fast it
    sells and how much to order to cover the next two weeks."""
    levels = principal.scope_stores(
        StockLevel.objects.filter(
            store__organisation_id=principal.organisation_id,
            low_stock_threshold_milli__isnull=False,
            on_hand_milli__lte=F("low_stock_threshold_milli"),
        )
    )
    if store is not None:
        levels = levels.filter(store=store)
    levels = levels.select_related("store", "product").order_by(
        F("on_hand_milli") - F("low_stock_threshold_milli"), "product__name"
    )[:STOCK_ALERTS]
    rows = list(levels)
    sold = _sold_milli(rows, since=today - timedelta(days=RATE_DAYS - 1), until=today)
    alerts: list[StockAlert] = []
    for level in rows:
        daily_milli = sold.get((level.store_id, level.product_id), 0) // RATE_DAYS
        target = (level.low_stock_threshold_milli or 0) + daily_milli * COVER_DAYS
        # An oversold shelf counts as empty: the minus is a count to correct, not stock to buy.
        order = max(0, target - max(level.on_hand_milli, 0))
        if level.product.sold_by == "unit":
            order = -(-order // UNIT_MILLI) * UNIT_MILLI  # whole items, rounded up
        alerts.append(
            {
                "store": level.store,
                "product": level.product,
                "on_hand_milli": level.on_hand_milli,
                # Below zero: the tills sold more than was ever counted in (goods not received
                # in the system, or a count that is off); the page says so in words.
                "oversold_milli": max(0, -level.on_hand_milli),
                "threshold_milli": level.low_stock_threshold_milli,
                "daily_milli": daily_milli,
                "order_milli": order,
            }
        )
    return alerts


def _sold_milli(
    levels: list[StockLevel], *, since: date, until: date
) -> dict[tuple[int, int], int]:
    if not levels:
        return {}
    rows = (
        SaleLine.objects.filter(
            sale__status=SaleStatus.COMPLETED,
            sale__business_date__gte=since,
            sale__business_date__lte=until,
            sale__store_id__in={level.store_id for level in levels},
            product_id__in={level.product_id for level in levels},
        )
        .values("sale__store_id", "product_id")
        .annotate(
            milli=Sum(
                Case(
                    When(qty__isnull=False, then=F("qty") * 1000),
                    default=F("qty_milli"),
                    output_field=BigIntegerField(),
                )
            )
        )
    )
    return {(row["sale__store_id"], row["product_id"]): row["milli"] or 0 for row in rows}


def terminal_health(*, principal: Principal, store: Store | None) -> list[TillHealth]:
    """Every enrolled till: when it last sent and fetched, what it runs, what it still holds."""
    terminals: QuerySet[Terminal] = terminal_list(principal=principal).filter(
        enrolled_at__isnull=False
    )
    if store is not None:
        terminals = terminals.filter(store=store)
    silent_after = timedelta(minutes=settings.ASIRIA_TERMINAL_SILENT_MINUTES)
    now = timezone.now()
    health: list[TillHealth] = []
    for terminal in terminals:
        heard = max(
            (moment for moment in (terminal.last_push_at, terminal.last_pull_at) if moment),
            default=None,
        )
        health.append(
            {
                "terminal": terminal,
                "revoked": terminal.revoked_at is not None,
                "quiet": heard is None or now - heard > silent_after,
                "last_heard": heard,
                "backlog": (terminal.unsent_count or 0) > 0,
            }
        )
    return health


def recent_notifications(*, principal: Principal, limit: int = 8) -> list[Notification]:
    return list(notification_list(principal=principal).select_related("store")[:limit])


def unread_count(*, principal: Principal) -> int:
    return notification_list(principal=principal).filter(status="unread").count()
