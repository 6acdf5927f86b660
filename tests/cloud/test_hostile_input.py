"""Input built to break the cloud (out-of-range quantities, bodies nested without end, lone
surrogates, dates at the calendar's edge) is answered 4xx, or "rejected" for one pushed event,
and never stops a product selling or a till syncing."""

from __future__ import annotations

import gzip
import json
import logging

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from cloud_api.core.bounds import QTY_MAX, QTY_MILLI_MAX, STOCK_LEVEL_MAX_MILLI
from cloud_api.inventory.models import StockLevel
from cloud_api.sales.models import Sale

from .conftest import terminal_client
from .sync_support import envelope, push, statuses

BIGINT_EDGE = 9_223_372_034_854_774_308  # the attack's qty_milli: 2,000,000,000 below 2**63


@pytest.fixture
def till(org_a):
    return terminal_client(org_a)


def free_line_sale(org, *, qty=None, qty_milli=None, receipt_no=None):
    """A zero-price sale of one line: its amounts add up whatever the quantity."""
    sale = org.make_sale(items=[(org.products[1], None, 1000)], receipt_no=receipt_no)
    line = sale["lines"][0]
    line.update(qty=qty, qty_milli=qty_milli, unit_price_cents=0, tax_cents=0, total_cents=0)
    sale.update(subtotal_cents=0, total_cents=0, tax_cents=0, change_cents=0)
    sale["payments"][0]["amount_cents"] = 0
    return sale


def level_of(org) -> int:
    return StockLevel.objects.get(store=org.stores[0], product=org.products[1]).on_hand_milli


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()["error"]


# ----- quantities ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qty", "qty_milli"),
    [(None, BIGINT_EDGE), (None, QTY_MILLI_MAX + 1), (QTY_MAX + 1, None), (2**63, None)],
)
def test_a_pushed_quantity_beyond_the_bounds_is_rejected_and_stock_stays(
    org_a, till, qty, qty_milli
):
    good = envelope("sale.completed", org_a.make_sale(), 2)
    huge = envelope("sale.completed", free_line_sale(org_a, qty=qty, qty_milli=qty_milli), 1)

    response = push(till, [huge, good])

    assert statuses(response) == ["rejected", "applied"]
    assert "maximum" in response.json()["results"][0]["error"]
    assert level_of(org_a) == -1250  # the good sale's tomatoes only


def test_a_stock_level_at_the_64_bit_edge_still_takes_every_later_sale(org_a, till):
    """A level written before the bounds (the attack left -9.2e18) does not refuse sales."""
    push(till, [envelope("sale.completed", org_a.make_sale(), 1)])
    StockLevel.objects.filter(store=org_a.stores[0], product=org_a.products[1]).update(
        on_hand_milli=-BIGINT_EDGE
    )

    response = push(till, [envelope("sale.completed", org_a.make_sale(), 2)])

    assert statuses(response) == ["applied"]
    assert level_of(org_a) == -STOCK_LEVEL_MAX_MILLI
    received = push(
        till,
        [
            envelope(
                "goods.received",
                {
                    "id": "0193a000-0000-7000-8000-0000000000a1",
                    "cashier_id": str(org_a.users["cashier"].uuid),
                    "received_at": "2026-11-24T10:00:00+03:00",
                    "lines": [{"product_id": str(org_a.products[1].uuid), "qty_milli": 5000}],
                },
                3,
            )
        ],
    )
    assert statuses(received) == ["applied"]
    assert level_of(org_a) == -STOCK_LEVEL_MAX_MILLI + 5000


def test_pushed_stock_movements_are_bounded_like_the_api_ones(org_a, till, client_as):
    adjusted = envelope(
        "stock.adjusted",
        {
            "id": "0193a000-0000-7000-8000-0000000000a2",
            "cashier_id": str(org_a.users["cashier"].uuid),
            "adjusted_at": "2026-11-24T10:00:00+03:00",
            "reason": "count",
            "lines": [{"product_id": str(org_a.products[1].uuid), "delta_milli": 10**12}],
        },
        1,
    )
    api = client_as("manager").post(
        "/api/v1/stock-movements/",
        {"product_id": str(org_a.products[1].uuid), "delta_milli": 10**12, "note": "count"},
        format="json",
    )

    assert statuses(push(till, [adjusted])) == ["rejected"]
    assert api.status_code == 400


def test_a_database_range_error_is_told_as_one_and_never_quotes_the_database(db):
    from django.db import DatabaseError, IntegrityError

    from cloud_api.core.errors import database_problem

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE range_probe (n BIGINT, k INT UNIQUE)")
        cursor.execute("INSERT INTO range_probe VALUES (%s, 1)", [-BIGINT_EDGE])
        with pytest.raises(DatabaseError) as overflow:
            cursor.execute("UPDATE range_probe SET n = n - %s", [10**18])
        with pytest.raises(IntegrityError) as duplicate:
            cursor.execute("INSERT INTO range_probe VALUES (0, 1)")
        cursor.execute("DROP TEMPORARY TABLE range_probe")

    out_of_range = database_problem(overflow.value, "sale")
    assert "outside what can be stored" in out_of_range
    assert "already used" not in out_of_range
    assert "already used" in database_problem(duplicate.value, "sale")
    for message in (out_of_range, database_problem(duplicate.value)):
        assert "range_probe" not in message and "BIGINT" not in message


# ----- one set of bounds: REST and push agree -----------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    qty=st.one_of(
        st.none(), st.integers(min_value=-5, max_value=2**64), st.integers(QTY_MAX - 2, QTY_MAX + 2)
    ),
    qty_milli=st.one_of(
        st.none(),
        st.integers(min_value=-5, max_value=2**64),
        st.integers(QTY_MILLI_MAX - 2, QTY_MILLI_MAX + 2),
    ),
    cents=st.one_of(
        st.integers(min_value=-5, max_value=2**64),
        st.integers(10**11 - 2, 10**11 + 2),
    ),
)
def test_the_api_and_the_push_accept_exactly_the_same_lines(qty, qty_milli, cents):
    from cloud_api.sales.serializers import SaleLineIn
    from cloud_api.sync.validation import _errors, _validator

    line = {
        "id": "0193a000-0000-7000-8000-000000000001",
        "product_id": "0193a000-0000-7000-8000-000000000002",
        "barcode": None,
        "name": "Tomatoes",
        "qty": qty,
        "qty_milli": qty_milli,
        "unit_price_cents": cents,
        "discount_cents": 0,
        "tax_cents": 0,
        "total_cents": cents,
    }

    rest_accepts = SaleLineIn(data=line).is_valid()
    push_accepts = _errors(_validator("SaleLine"), line, "") is None

    assert rest_accepts == push_accepts


# ----- 500s that were ----------------------------------------------------------------------


def nested(depth: int) -> str:
    return '{"name": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [100_000, 200])
@pytest.mark.parametrize(
    ("who", "path"),
    [
        (None, "/api/v1/auth/token/"),
        (None, "/api/v1/terminals/enroll/"),
        ("owner", "/api/v1/categories/"),
        ("owner", "/api/v1/sales/"),
    ],
)
def test_a_body_nested_without_end_is_a_400(org_a, client, client_as, who, path, depth):
    caller = client_as(who) if who else client

    response = caller.post(path, nested(depth), content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_request"


def test_a_push_nested_without_end_is_a_400_the_till_splits_on(org_a, till):
    body = gzip.compress(('{"events": ' + "[" * 100_000 + "]" * 100_000 + "}").encode())

    response = till.post(
        "/api/v1/sync/push/", body, content_type="application/json", HTTP_CONTENT_ENCODING="gzip"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_request"


def test_a_lone_surrogate_in_a_rest_body_is_a_400(org_a, client_as):
    body = '{"name": "Drinks \\ud800"}'

    response = client_as("owner").post("/api/v1/categories/", body, content_type="application/json")

    assert response.status_code == 400
    assert "surrogate" in error_of(response)["message"]


@pytest.mark.parametrize("where", ["name", "barcode", "reference", "recorded_at", "type", "key"])
def test_a_lone_surrogate_rejects_only_its_own_event(org_a, till, where):
    from cloud_api.sync.models import SyncRejection

    bad = envelope("sale.completed", org_a.make_sale(), 1)
    good = envelope("sale.completed", org_a.make_sale(), 2)
    marker = "SURROGATE-HERE"
    if where == "name":
        bad["payload"]["lines"][0]["name"] = marker
    elif where == "barcode":
        bad["payload"]["lines"][0]["barcode"] = marker
    elif where == "reference":
        bad["payload"]["payments"][0]["reference"] = marker
    elif where == "key":
        bad["payload"][marker] = 1
    else:
        bad[where] = marker
    text = json.dumps({"events": [bad, good]}).replace(marker, "x\\ud800")

    response = till.post(
        "/api/v1/sync/push/",
        gzip.compress(text.encode()),
        content_type="application/json",
        HTTP_CONTENT_ENCODING="gzip",
    )

    assert statuses(response) == ["rejected", "applied"]
    assert "surrogate" in response.json()["results"][0]["error"]
    assert SyncRejection.objects.get(uuid=bad["id"]).seq == 1
    assert Sale.objects.filter(uuid=good["payload"]["id"]).exists()


@pytest.mark.parametrize(
    "completed_at", ["9999-12-31T22:00:00Z", "0001-01-01T00:00:00+00:00", "1899-12-31T23:00Z"]
)
def test_rest_sale_dates_have_the_pushs_year_range(org_a, client_as, till, completed_at):
    payload = org_a.make_sale()
    payload["completed_at"] = completed_at

    response = client_as("cashier").post("/api/v1/sales/", payload, format="json")
    pushed = push(till, [envelope("sale.completed", org_a.make_sale(), 1)])
    pushed_bad = dict(org_a.make_sale(), completed_at=completed_at)

    assert response.status_code == 400, response.content
    assert "completed_at" in error_of(response)["fields"]
    assert statuses(pushed) == ["applied"]
    assert statuses(push(till, [envelope("sale.completed", pushed_bad, 2)])) == ["rejected"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_report_and_list_dates_at_the_calendars_edge_are_answered(org_a, client_as, day):
    for path in (
        f"/api/v1/sales/?date_from={day}&date_to={day}",
        f"/api/v1/reports/sales-summary/?date_from={day}&date_to={day}",
    ):
        response = client_as("owner").get(path)

        assert response.status_code in (200, 400), (path, response.status_code)
        assert response["Content-Type"].startswith("application/json")


def test_a_bad_host_header_is_a_warning_not_an_error(db, client, caplog):
    caplog.set_level(logging.INFO)

    response = client.get("/api/v1/stores/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    host_records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert host_records
    assert all(record.levelno == logging.WARNING for record in host_records)
