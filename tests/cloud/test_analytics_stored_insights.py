"""Stored insights: the nightly job (and a refresh after pushes) works out each store's
insights and anomaly flags ahead; the overview reads them with the time they are "as of",
works out a store with nothing stored once, and still works out any other period on request."""

from __future__ import annotations

import json
import zoneinfo
from datetime import datetime, timedelta

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from uuid6 import uuid7

from cloud_api.analytics.anomalies import anomaly_flags
from cloud_api.analytics.insight_store import STORED_FLAG_DAYS, STORED_INSIGHTS
from cloud_api.analytics.insights import store_insights
from cloud_api.analytics.insights_tasks import (
    insights_refresh_queue,
    refresh_all_insights,
    refresh_store_insights,
)
from cloud_api.analytics.models import StoredInsights
from cloud_api.celery import app

from .analytics_support import sale, signed_in, stocked_shop
from .conftest import terminal_client
from .sync_support import envelope, push, statuses

NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")


def today():
    return datetime.now(NAIROBI).date()


@pytest.fixture
def shop(org_a, tmp_path):
    return stocked_shop(org_a, tmp_path)


def texts(items) -> list[str]:
    return [item.text for item in items]


@pytest.mark.django_db
def test_the_job_stores_what_the_analytics_work_out_to_the_stores_today(shop):
    main = shop.stores[0]

    kept = refresh_store_insights.delay(main.pk).get()

    row = StoredInsights.objects.get(store=main)
    assert row.date_to == today() and row.flag_days == STORED_FLAG_DAYS
    expected = store_insights(stores=[main], date_to=today(), limit=STORED_INSIGHTS)
    assert kept == len(expected) > 0
    assert [item["text"] for item in row.insights] == texts(expected)
    assert [item["store_id"] for item in row.insights] == [str(i.store_id) for i in expected]
    flags = anomaly_flags(stores=[main], date_to=today(), days=STORED_FLAG_DAYS)
    assert [item["reason"] for item in row.flags] == [flag.reason for flag in flags]
    assert any(item["kind"] == "day_sales" for item in row.flags)


@pytest.mark.django_db
def test_the_overview_reads_the_stored_insights_until_the_next_refresh(shop):
    main = shop.stores[0]
    refresh_store_insights.delay(main.pk).get()
    stored_at = StoredInsights.objects.get(store=main).computed_at
    owner = signed_in(shop.users["owner"])
    before = store_insights(stores=[main], date_to=today(), limit=8)

    # A big sale changes what the analytics would say now; the page still shows the stored
    # figures, and says when they were worked out.
    sale(shop, main, today() - timedelta(days=1), [shop.products[0]], qty=300)
    fresh = store_insights(stores=[main], date_to=today(), limit=8)
    assert texts(fresh) != texts(before)
    page = owner.get(reverse("dashboard:overview"), {"store": str(main.uuid)})

    assert texts(page.context["insights"]) == texts(before)
    assert page.context["insights_as_of"] == stored_at
    local = stored_at.astimezone(NAIROBI)
    assert f"As of {local.day} {local:%b, %H:%M}" in page.content.decode()
    for insight in before:
        assert escape(insight.text) in page.content.decode()

    refresh_store_insights.delay(main.pk).get()
    again = owner.get(reverse("dashboard:overview"), {"store": str(main.uuid)})
    assert texts(again.context["insights"]) == texts(fresh)
    assert again.context["insights_as_of"] > stored_at


@pytest.mark.django_db
def test_with_nothing_stored_the_overview_works_it_out_once_and_keeps_it(shop):
    owner = signed_in(shop.users["owner"])
    assert not StoredInsights.objects.exists()

    first = owner.get(reverse("dashboard:overview"))
    rows = {row.store_id: row.computed_at for row in StoredInsights.objects.all()}
    second = owner.get(reverse("dashboard:overview"))

    assert set(rows) == {store.pk for store in shop.stores}
    assert {row.store_id: row.computed_at for row in StoredInsights.objects.all()} == rows
    expected = store_insights(stores=shop.stores, date_to=today(), limit=8)
    assert texts(first.context["insights"]) == texts(second.context["insights"])
    assert texts(first.context["insights"]) == texts(expected)
    flags = anomaly_flags(stores=shop.stores, date_to=today(), days=30)
    assert [f.reason for f in first.context["flags"]] == [f.reason for f in flags]
    assert second.context["insights_as_of"] == min(rows.values())


@pytest.mark.django_db
def test_other_periods_are_worked_out_on_request(shop):
    main = shop.stores[0]
    refresh_store_insights.delay(main.pk).get()
    owner = signed_in(shop.users["owner"])
    end = today() - timedelta(days=1)

    past = owner.get(
        reverse("dashboard:overview"),
        {"store": str(main.uuid), "date_from": str(end - timedelta(days=29)), "date_to": str(end)},
    )
    week = owner.get(
        reverse("dashboard:overview"),
        {"store": str(main.uuid), "date_from": str(today() - timedelta(days=6))},
    )

    assert past.context["insights_as_of"] is None
    assert texts(past.context["insights"]) == texts(
        store_insights(stores=[main], date_to=end, limit=8)
    )
    assert week.context["insights_as_of"] is None and week.context["flag_days"] == 7
    assert [f.reason for f in week.context["flags"]] == [
        f.reason for f in anomaly_flags(stores=[main], date_to=today(), days=7)
    ]
    assert "As of" not in past.content.decode()


@pytest.mark.django_db
def test_beat_runs_the_nightly_job_for_every_active_store(shop):
    entry = settings.CELERY_BEAT_SCHEDULE["insights-refresh"]
    assert entry["task"] == refresh_all_insights.name
    assert entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({1}, {53})
    shop.stores[1].active = False
    shop.stores[1].save()

    call_command("run_scheduled", "insights-refresh", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert list(StoredInsights.objects.values_list("store_id", flat=True)) == [shop.stores[0].pk]


@pytest.fixture
def to_the_broker():
    """Tasks go to the Redis broker (as in production) instead of running here; the queue is
    emptied afterwards, as no worker takes them in this test."""
    app.conf.task_always_eager = False
    queue = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue.delete("celery")
    yield queue
    app.conf.task_always_eager = True
    queue.delete("celery")


def queued_tasks(queue) -> list[str]:
    """The names of the tasks waiting in the broker's default queue."""
    return [json.loads(raw)["headers"]["task"] for raw in queue.lrange("celery", 0, -1)]


@pytest.mark.django_db
def test_pushes_in_a_burst_queue_one_delayed_refresh_per_store(org_a, to_the_broker):
    main, branch = org_a.stores

    queued = [insights_refresh_queue(main.pk) for _ in range(3)]
    other = insights_refresh_queue(branch.pk)

    assert queued == [True, False, False] and other is True
    assert queued_tasks(to_the_broker) == [refresh_store_insights.name] * 2
    # Once the refresh starts, the next push queues the next one.
    refresh_store_insights.apply(args=(main.pk,))
    assert insights_refresh_queue(main.pk) is True
    assert queued_tasks(to_the_broker) == [refresh_store_insights.name] * 3


def pushed_sales(org, count: int) -> list[str]:
    """``count`` pushes of one sale each from the main store's till; their answers."""
    till = terminal_client(org)
    answers = []
    for seq in range(1, count + 1):
        answers += statuses(push(till, [envelope("sale.completed", org.make_sale(), seq)]))
    return answers


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_pushes_queues_one_refresh_for_the_worker(org_a, to_the_broker, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a cloud with a worker

    answers = pushed_sales(org_a, 3)

    assert answers == ["applied"] * 3
    assert queued_tasks(to_the_broker).count(refresh_store_insights.name) == 1
    assert not StoredInsights.objects.exists()  # the worker works them out, later


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_a_push_does_not_wait_for_the_insights(org_a):
    assert settings.CELERY_TASK_ALWAYS_EAGER  # tasks run in the web process

    answers = pushed_sales(org_a, 2)

    assert answers == ["applied"] * 2
    assert not StoredInsights.objects.exists()


def refreshes_queued(queue) -> int:
    return queued_tasks(queue).count(refresh_store_insights.name)


def refresh_started(queue, store) -> None:
    """The queued refresh starts (as the worker would): the next sale queues the next one."""
    refresh_store_insights.apply(args=(store.pk,))
    queue.delete("celery")


@pytest.mark.django_db(transaction=True)
def test_sales_through_the_api_queue_one_refresh_for_the_worker(
    org_a, to_the_broker, settings, client_as
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cashier = client_as("cashier")

    answers = [
        cashier.post("/api/v1/sales/", org_a.make_sale(), format="json").status_code
        for _ in range(3)
    ]

    assert answers == [201] * 3
    assert refreshes_queued(to_the_broker) == 1
    assert not StoredInsights.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_void_or_refund_in_the_cloud_queues_the_refresh(
    org_a, to_the_broker, settings, client_as, record_sale
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    main = org_a.stores[0]
    manager = client_as("manager")
    voided, refunded = record_sale(org_a), record_sale(org_a)
    refresh_started(to_the_broker, main)

    void = manager.post(f"/api/v1/sales/{voided.uuid}/void/", {"reason": "Wrong"}, format="json")
    assert void.status_code == 200
    assert refreshes_queued(to_the_broker) == 1
    refresh_started(to_the_broker, main)

    line = refunded.lines.first()
    refund = manager.post(
        f"/api/v1/sales/{refunded.uuid}/refunds/",
        {"method": "cash", "reason": "Flat", "lines": [{"line_id": str(line.uuid), "qty": 1}]},
        format="json",
    )
    assert refund.status_code == 201
    assert refreshes_queued(to_the_broker) == 1
    refresh_started(to_the_broker, main)

    # A refused void changes no figure: its rolled-back transaction queues nothing.
    again = manager.post(f"/api/v1/sales/{voided.uuid}/void/", {"reason": "Again"}, format="json")
    assert again.status_code == 409
    assert refreshes_queued(to_the_broker) == 0


@pytest.mark.django_db(transaction=True)
def test_a_sales_history_import_queues_the_refresh(org_a, to_the_broker, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    path = tmp_path / "history.csv"
    path.write_text(
        "date,receipt,product\n2026-03-02,1,Coca-Cola 500ml\n2026-03-03,2,Coca-Cola 500ml\n",
        encoding="utf-8",
    )
    args = ["--org", org_a.organisation.name, "--store", org_a.stores[0].code, str(path)]

    call_command("import_sales_history", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert refreshes_queued(to_the_broker) == 1
    refresh_started(to_the_broker, org_a.stores[0])

    # The same file again brings nothing new: nothing to work out again.
    call_command("import_sales_history", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert refreshes_queued(to_the_broker) == 0


@pytest.mark.django_db(transaction=True)
def test_a_void_pushed_by_a_till_queues_the_refresh(org_a, to_the_broker, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    till, sold = terminal_client(org_a), org_a.make_sale()
    assert statuses(push(till, [envelope("sale.completed", sold, 1)])) == ["applied"]
    refresh_started(to_the_broker, org_a.stores[0])
    void = {
        "id": str(uuid7()),
        "sale_id": sold["id"],
        "receipt_no": sold["receipt_no"],
        "shift_id": None,
        "cashier_id": str(org_a.users["manager"].uuid),
        "approved_by": None,
        "reason": "customer changed mind",
        "voided_at": "2026-11-24T13:10:00+03:00",
        "total_cents": sold["total_cents"],
    }

    answers = statuses(push(till, [envelope("sale.voided", void, 2)]))

    assert answers == ["applied"]
    assert refreshes_queued(to_the_broker) == 1
