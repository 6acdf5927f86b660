"""The notification kinds nobody else tests: low stock again after a restock, a till's records
refused by head office, a till gone silent, and the daily summary per store."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from uuid6 import uuid7

from cloud_api.accounts.models import Terminal
from cloud_api.inventory.models import MovementReason
from cloud_api.inventory.services import stock_movement_record, stock_threshold_set
from cloud_api.notifications.models import Notification
from cloud_api.notifications.tasks import notify_silent_terminals, send_daily_summaries

from .conftest import terminal_client
from .sync_support import envelope, push, statuses


def kinds(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind, user__role="owner").order_by("id"))


def test_low_stock_is_told_again_only_after_a_restock_above_the_line(org_a):
    store, coke = org_a.stores[0], org_a.products[0]
    stock_movement_record(store=store, product=coke, delta_milli=10_000, reason="adjustment")
    stock_threshold_set(store=store, product=coke, threshold_milli=5_000)

    stock_movement_record(store=store, product=coke, delta_milli=-6_000, reason=MovementReason.SALE)
    stock_movement_record(store=store, product=coke, delta_milli=-1_000, reason=MovementReason.SALE)
    assert len(kinds("low_stock")) == 1
    stock_movement_record(store=store, product=coke, delta_milli=20_000, reason="received")
    stock_movement_record(store=store, product=coke, delta_milli=-20_000, reason="sale")

    assert len(kinds("low_stock")) == 2


def test_records_refused_by_head_office_are_told_once(org_a):
    till = terminal_client(org_a)
    bad = envelope("sale.completed", org_a.make_sale(), 1)
    bad["payload"]["lines"][0]["product_id"] = str(uuid7())

    assert statuses(push(till, [bad])) == ["rejected"]
    assert statuses(push(till, [bad])) == ["rejected"]  # sent again unchanged: not news

    [notice] = kinds("sync_rejected")
    assert (
        notice.message.startswith("Till Till 1 (") and "refused 1 record it sent" in notice.message
    )
    assert "Unknown product" in notice.message and notice.data["event_ids"] == [bad["id"]]
    roles = set(
        Notification.objects.filter(kind="sync_rejected").values_list("user__role", flat=True)
    )
    assert roles == {"owner", "manager", "head_office"}


def test_a_silent_till_is_told_once_per_silence(org_a, settings):
    settings.ASIRIA_TERMINAL_SILENT_MINUTES = 60
    long_ago = timezone.now() - timedelta(hours=3)
    Terminal.objects.filter(pk=org_a.terminal.pk).update(
        enrolled_at=long_ago, last_push_at=long_ago, last_pull_at=long_ago
    )

    assert notify_silent_terminals() == 1
    assert notify_silent_terminals() == 0
    [notice] = kinds("terminal_silent")
    assert "Till 1" in notice.message and "has not been in touch since" in notice.message

    Terminal.objects.filter(pk=org_a.terminal.pk).update(last_push_at=timezone.now())
    assert notify_silent_terminals() == 0  # heard from again

    # That notice went out 1 h into the silence; the till then spoke 2 h ago and fell silent.
    Notification.objects.filter(kind="terminal_silent").update(
        created_at=long_ago + timedelta(hours=1)
    )
    Terminal.objects.filter(pk=org_a.terminal.pk).update(
        last_push_at=timezone.now() - timedelta(hours=2),
        last_pull_at=timezone.now() - timedelta(hours=2),
    )
    assert notify_silent_terminals() == 1  # a new silence


def test_the_daily_summary_tells_each_store_its_day_once(org_a):
    till = terminal_client(org_a)
    sale = org_a.make_sale(
        items=[(org_a.products[0], 3, None)], pay=[("cash", 24000)], completed_at=timezone.now()
    )
    assert statuses(push(till, [envelope("sale.completed", sale, 1)])) == ["applied"]

    assert send_daily_summaries() == 2  # both stores of the organisation
    assert send_daily_summaries() == 0

    main = next(n for n in kinds("daily_summary") if n.store == org_a.stores[0])
    assert main.message.startswith(f"{org_a.stores[0].name}, ")
    assert ": 1 sales, KES 240 taken, KES 0 refunded, 0 voided." in main.message
