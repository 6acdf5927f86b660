"""POST /sync/push/: every event applied at most once, answered in order, as the contract says."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest
from uuid6 import uuid7

from .conftest import jwt_client, terminal_client
from .sync_support import (
    as_the_example_till,
    contract_json,
    envelope,
    example_world,
    push,
    statuses,
)


@pytest.fixture
def till(org_a):
    return terminal_client(org_a)


def sale_event(org, seq: int, **kwargs):
    return envelope("sale.completed", org.make_sale(**kwargs), seq)


def test_the_contract_example_is_answered_as_the_contract_says(org_a, till):
    from cloud_api.sales.models import Sale
    from cloud_api.sync.models import SyncEvent, TillActivity

    example_world(org_a)
    as_the_example_till(org_a)
    request = contract_json("push-request.example.json")

    first = push(till, request["events"])
    retry = push(till, request["events"])

    assert first.status_code == 200, first.content
    assert first.json() == contract_json("push-response.json")
    assert retry.json() == contract_json("push-response-retry.json")
    sale = Sale.objects.get(uuid=request["events"][0]["payload"]["id"])
    assert (sale.total_cents, sale.terminal_id, sale.lines.count()) == (37000, org_a.terminal.pk, 3)
    assert sale.payments.count() == 2
    assert SyncEvent.objects.filter(terminal=org_a.terminal).count() == 2
    assert TillActivity.objects.get(kind="drawer.opened").store_id == org_a.stores[0].pk


def test_the_same_id_with_another_payload_is_rejected_and_changes_nothing(org_a, till):
    from cloud_api.sales.models import Sale

    event = sale_event(org_a, 1)
    assert statuses(push(till, [event])) == ["applied"]
    tampered = json.loads(json.dumps(event))
    tampered["payload"]["receipt_no"] = "S01-T01-999999"

    response = push(till, [tampered, event])

    assert statuses(response) == ["rejected", "duplicate"]
    assert "same id, different payload" in response.json()["results"][0]["error"]
    assert Sale.objects.filter(receipt_no="S01-T01-999999").count() == 0


def test_a_repeat_inside_one_batch_is_a_duplicate(org_a, till):
    event = sale_event(org_a, 1)
    assert statuses(push(till, [event, event])) == ["applied", "duplicate"]


def test_one_invalid_event_never_blocks_the_others(org_a, till):
    from cloud_api.sales.models import Sale

    good = [sale_event(org_a, seq) for seq in (1, 2, 4)]
    bad_money = sale_event(org_a, 3)
    bad_money["payload"]["total_cents"] += 1
    bad_shape = sale_event(org_a, 5)
    bad_shape["payload"]["lines"][0]["qty"] = "2"
    unknown_product = sale_event(org_a, 6)
    unknown_product["payload"]["lines"][0]["product_id"] = str(uuid7())

    response = push(till, [good[0], good[1], bad_money, good[2], bad_shape, unknown_product])

    assert statuses(response) == [
        "applied",
        "applied",
        "rejected",
        "applied",
        "rejected",
        "rejected",
    ]
    errors = [result.get("error", "") for result in response.json()["results"]]
    assert "do not add up" in errors[2]
    assert errors[4].startswith("invalid: payload/lines/0/qty")
    assert "Unknown product" in errors[5]
    assert [r["id"] for r in response.json()["results"]] == [
        e["id"] for e in [good[0], good[1], bad_money, good[2], bad_shape, unknown_product]
    ]
    assert Sale.objects.filter(terminal=org_a.terminal).count() == 3


def test_a_rejected_event_can_be_sent_again_once_fixed(org_a, till):
    event = sale_event(org_a, 1)
    event["payload"]["lines"][0]["product_id"] = str(uuid7())
    assert statuses(push(till, [event])) == ["rejected"]
    event["payload"]["lines"][0]["product_id"] = str(org_a.products[0].uuid)

    assert statuses(push(till, [event])) == ["applied"]


def test_cash_rounding_is_accepted_and_kept(org_a, till):
    from cloud_api.sales.models import Sale

    rounded = org_a.make_sale(items=[(org_a.products[0], 1, None)], pay=[("cash", 8000)])
    rounded["payments"][0]["amount_cents"] = 8050  # rounded up to the coin, kept by the shop
    rounded["rounding_cents"] = 50
    wrong = org_a.make_sale(items=[(org_a.products[0], 1, None)], pay=[("cash", 8050)])
    wrong["rounding_cents"] = 10
    wrong["change_cents"] = 0

    response = push(
        till, [envelope("sale.completed", rounded, 1), envelope("sale.completed", wrong, 2)]
    )

    assert statuses(response) == ["applied", "rejected"]
    assert Sale.objects.get(uuid=rounded["id"]).rounding_cents == 50


def test_pushed_sales_show_in_the_sales_list_and_report_at_once(org_a, till, client_as):
    events = [sale_event(org_a, seq) for seq in range(1, 4)]
    assert statuses(push(till, events)) == ["applied"] * 3

    listed = client_as("owner").get("/api/v1/sales/").json()
    report = client_as("owner").get(
        "/api/v1/reports/sales-summary/", {"date_from": "2026-11-24", "date_to": "2026-11-24"}
    )

    assert {sale["id"] for sale in listed["results"]} >= {e["payload"]["id"] for e in events}
    assert report.json()["sales_count"] == 3
    assert report.json()["total_cents"] == sum(e["payload"]["total_cents"] for e in events)


def test_stock_moves_by_deltas_and_an_oversell_notifies_the_managers(org_a, till):
    from cloud_api.inventory.models import StockLevel, StockMovement
    from cloud_api.inventory.services import stock_movement_record
    from cloud_api.notifications.models import Notification

    store, coke = org_a.stores[0], org_a.products[0]
    stock_movement_record(store=store, product=coke, delta_milli=3000, reason="adjustment")
    first = sale_event(org_a, 1, items=[(coke, 2, None)])
    second = sale_event(org_a, 2, items=[(coke, 2, None)])

    assert statuses(push(till, [first, second])) == ["applied", "applied"]

    level = StockLevel.objects.get(store=store, product=coke)
    assert level.on_hand_milli == -1000  # sold, not refused: the shelf is the truth
    assert StockMovement.objects.filter(reference=first["payload"]["id"]).get().delta_milli == -2000
    oversold = Notification.objects.filter(kind="oversell")
    assert {n.user for n in oversold} == {
        org_a.users["manager"],
        org_a.users["owner"],
        org_a.users["head_office"],
    }


def test_a_price_other_than_the_catalogs_is_kept_and_flagged(org_a, till):
    from cloud_api.notifications.models import Notification
    from cloud_api.sales.models import Sale

    sale = org_a.make_sale(items=[(org_a.products[0], 1, None)])
    line = sale["lines"][0]
    line["unit_price_cents"] = line["total_cents"] = 7000
    line["tax_cents"] = 966
    sale.update(subtotal_cents=7000, total_cents=7000, tax_cents=966)
    sale["payments"][0]["amount_cents"] = 7000

    assert statuses(push(till, [envelope("sale.completed", sale, 1)])) == ["applied"]

    stored = Sale.objects.get(uuid=sale["id"])
    assert stored.price_mismatch and stored.total_cents == 7000
    assert stored.lines.get().catalog_price_cents == 8000
    notice = Notification.objects.filter(kind="price_mismatch", user=org_a.users["manager"]).get()
    assert "70.00" in notice.message and "80.00" in notice.message


def test_an_offline_sale_at_the_old_price_is_not_a_mismatch(org_a, till):
    from cloud_api.catalog.models import PriceHistory
    from cloud_api.catalog.services import product_update
    from cloud_api.sales.models import Sale

    PriceHistory.objects.filter(product=org_a.products[0]).update(
        created_at=datetime.now(UTC) - timedelta(days=2)
    )
    sale = org_a.make_sale(
        items=[(org_a.products[0], 1, None)], completed_at=datetime.now(UTC) - timedelta(hours=1)
    )
    product_update(product=org_a.products[0], price_cents=9000)

    assert statuses(push(till, [envelope("sale.completed", sale, 1)])) == ["applied"]

    assert Sale.objects.get(uuid=sale["id"]).price_mismatch is False


@pytest.mark.parametrize(
    ("clock", "skewed"),
    [
        (datetime(1970, 1, 1, 0, 0, 5, tzinfo=UTC), True),
        (timedelta(days=366), True),
        (-timedelta(hours=1), True),
        (-timedelta(minutes=2), False),
    ],
    ids=["1970", "plus-a-year", "an-hour-behind", "fine"],
)
def test_a_wrong_till_clock_is_kept_and_flagged(org_a, till, clock, skewed):
    from cloud_api.notifications.models import Notification
    from cloud_api.sales.models import Sale
    from cloud_api.sync.models import SyncEvent

    # An offset is taken from the moment the test runs, not when the suite was collected.
    if isinstance(clock, timedelta):
        clock = datetime.now(UTC) + clock
    payload = org_a.make_sale(completed_at=clock)
    event = envelope("sale.completed", payload, 1, recorded_at=clock)

    assert statuses(push(till, [event])) == ["applied"]

    stored = SyncEvent.objects.get(uuid=event["id"])
    assert stored.recorded_at == clock.replace(microsecond=stored.recorded_at.microsecond)
    assert stored.clock_skewed is skewed
    sale = Sale.objects.get(uuid=payload["id"])
    assert sale.completed_at.year == clock.year
    assert sale.business_date == clock.astimezone(sale_tz(org_a)).date()
    assert Notification.objects.filter(kind="clock_skew").exists() is skewed


def sale_tz(org):
    import zoneinfo

    return zoneinfo.ZoneInfo(org.organisation.time_zone)


def test_events_are_applied_in_seq_order_and_gaps_are_flagged(org_a, till):
    from cloud_api.sales.models import Sale
    from cloud_api.sync.models import SyncEvent

    sale = sale_event(org_a, 1)
    void = envelope(
        "sale.voided",
        {
            "id": str(uuid7()),
            "sale_id": sale["payload"]["id"],
            "receipt_no": sale["payload"]["receipt_no"],
            "shift_id": None,
            "cashier_id": str(org_a.users["manager"].uuid),
            "approved_by": None,
            "reason": "customer changed mind",
            "voided_at": "2026-11-24T13:10:00+03:00",
            "total_cents": sale["payload"]["total_cents"],
        },
        2,
    )
    later = sale_event(org_a, 7)

    # sent out of order: the void first, yet it applies after its sale
    assert statuses(push(till, [void, later, sale])) == ["applied"] * 3

    assert Sale.objects.get(uuid=sale["payload"]["id"]).status == "voided"
    gaps = dict(SyncEvent.objects.values_list("seq", "seq_gap"))
    assert gaps == {1: 0, 2: 0, 7: 4}


def test_gzip_and_plain_bodies_both_work(org_a, till):
    assert statuses(push(till, [sale_event(org_a, 1)], gzipped=False)) == ["applied"]
    assert statuses(push(till, [sale_event(org_a, 2)], gzipped=True)) == ["applied"]


def test_bad_requests_as_a_whole_are_json_errors(org_a, till, settings):
    too_many = push(till, [sale_event(org_a, seq) for seq in range(1, 502)])
    settings.SYNC_PUSH_MAX_BYTES = 50_000
    bomb = gzip.compress(json.dumps({"events": [{"id": "x" * 200_000}]}).encode())

    answers = {
        "501 events": too_many,
        "no events": push(till, []),
        "not json": till.post("/api/v1/sync/push/", data=b"{nope", content_type="application/json"),
        "no id": push(till, [{"type": "sale.completed"}]),
        "zip bomb": till.post(
            "/api/v1/sync/push/",
            data=bomb,
            content_type="application/json",
            HTTP_CONTENT_ENCODING="gzip",
        ),
        "damaged gzip": till.post(
            "/api/v1/sync/push/",
            data=b"\x1f\x8b not really",
            content_type="application/json",
            HTTP_CONTENT_ENCODING="gzip",
        ),
        "form": till.post("/api/v1/sync/push/", {"events": "1"}),
    }

    codes = {name: response.status_code for name, response in answers.items()}
    assert codes == {
        "501 events": 400,
        "no events": 400,
        "not json": 400,
        "no id": 400,
        "zip bomb": 413,
        "damaged gzip": 400,
        "form": 415 if codes["form"] == 415 else 400,  # refused as it is parsed
    }
    assert all("error" in response.json() for response in answers.values())


def test_a_body_over_the_limit_is_refused_before_it_is_read(org_a, till, settings):
    settings.SYNC_PUSH_MAX_BYTES = 1000

    response = push(till, [sale_event(org_a, seq) for seq in range(1, 20)], gzipped=False)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_people_may_not_push_and_a_revoked_till_is_told_why(org_a, till, client_as):
    from cloud_api.accounts.services import terminal_revoke

    event = sale_event(org_a, 1)
    for role in ("owner", "manager", "cashier", "head_office"):
        assert push(jwt_client(org_a.users[role]), [event]).status_code == 403
    terminal_revoke(terminal=org_a.terminal)

    response = push(till, [event])

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "terminal_revoked"


def test_a_line_id_reused_from_an_older_sale_falls_back_to_one_by_one(org_a, till):
    from cloud_api.reporting.models import ChainDailySales
    from cloud_api.reporting.rebuild import aggregates_differences
    from cloud_api.sales.models import Sale

    older = sale_event(org_a, 1)
    assert statuses(push(till, [older])) == ["applied"]
    reusing = sale_event(org_a, 2)
    reusing["payload"]["lines"][0]["id"] = older["payload"]["lines"][0]["id"]
    fine = [sale_event(org_a, 3), sale_event(org_a, 4)]

    response = push(till, [fine[0], reusing, fine[1]])

    assert statuses(response) == ["applied", "rejected", "applied"]
    assert "already used by another sale" in response.json()["results"][1]["error"]
    assert Sale.objects.filter(terminal=org_a.terminal).count() == 3
    # The failed bulk attempt and the refused sale add nothing to the chain-wide rows, which
    # the push writes at its end: they hold the three stored sales, as every report table.
    chain = ChainDailySales.objects.get(organisation=org_a.organisation)
    assert chain.sales_count == 3
    assert aggregates_differences(org_a.organisation.pk) == []
    assert statuses(push(till, [fine[0], fine[1]])) == ["duplicate", "duplicate"]


def test_head_office_sees_when_each_till_last_pushed_and_pulled(org_a, till):
    from .sync_support import pull

    owner = jwt_client(org_a.users["owner"])
    terminal_id = str(org_a.terminal.uuid)

    def listed():
        rows = owner.get("/api/v1/terminals/").json()["results"]
        return next(row for row in rows if row["id"] == terminal_id)

    assert (listed()["last_push_at"], listed()["last_pull_at"]) == (None, None)
    assert statuses(push(till, [sale_event(org_a, 1)])) == ["applied"]
    pushed = listed()
    assert pushed["last_push_at"] is not None and pushed["last_pull_at"] is None
    pull(till, cursor="0")
    pull(till, cursor="5")  # the cursor the till sends is where it has got to
    assert listed()["last_pull_at"] is not None
    org_a.terminal.refresh_from_db()
    assert org_a.terminal.last_pull_cursor == 5
