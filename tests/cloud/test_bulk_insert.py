"""The push's own INSERT writer (``cloud_api/core/bulk.py``) stores exactly what the ORM would,
and hands every new row its own primary key, whatever the values and however many rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from uuid6 import uuid7

from cloud_api.core import bulk

pytestmark = pytest.mark.django_db

AWKWARD_TEXT = [
    "O'Brien's \"duka\"",
    "back\\slash \\' and \\\\",
    "100% %s %(name)s {}",
    "Chai ☕ — Ksh 50 · 🇰🇪",
    "line\nbreak\ttab\r\x1a end",
    "",
    "NULL",
    "'); DROP TABLE sales_sale; --",
]


def _activity(org, text: str, amount: int | None, **extra):
    from cloud_api.sync.models import TillActivity

    return TillActivity(
        record_id=uuid7(),
        organisation_id=org.organisation.pk,
        store_id=org.stores[0].pk,
        terminal_id=org.terminal.pk,
        kind=text[:20],
        amount_cents=amount,
        occurred_at=datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC),
        business_date=date(2026, 3, 1),
        payload={"note": text, "n": amount, "ok": True, "nested": [1, None, "ž"]},
        **extra,
    )


def test_awkward_values_are_stored_as_given_and_every_row_gets_its_own_key(org_a):
    from cloud_api.sync.models import TillActivity

    rows = [_activity(org_a, text, index * 7 - 20) for index, text in enumerate(AWKWARD_TEXT)]
    rows.append(_activity(org_a, "no amount", None, shift_id=None, cashier_id=uuid7()))
    bulk.insert_objects(TillActivity, rows)

    stored = {row.pk: row for row in TillActivity.objects.all()}
    assert sorted(stored) == sorted(row.pk for row in rows)
    for row in rows:
        back = stored[row.pk]  # the key handed out is this very row's
        assert back.uuid == row.uuid
        assert back.kind == row.kind
        assert back.amount_cents == row.amount_cents
        assert back.payload == row.payload
        assert back.occurred_at == row.occurred_at
        assert back.business_date == row.business_date
        assert back.cashier_id == row.cashier_id


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=60), amount=st.integers(-(2**62), 2**62) | st.none())
def test_any_text_and_amount_round_trip(org_a, text, amount):
    from cloud_api.sync.models import TillActivity

    row = _activity(org_a, text.replace("\x00", ""), amount)
    bulk.insert_objects(TillActivity, [row])
    back = TillActivity.objects.get(pk=row.pk)
    assert (back.uuid, back.kind, back.amount_cents) == (row.uuid, row.kind, row.amount_cents)
    assert back.payload == row.payload


def test_keys_stay_right_across_many_statements(org_a, monkeypatch):
    from cloud_api.sync.models import TillActivity

    monkeypatch.setattr(bulk, "_STATEMENT_BYTES", 700)  # a few rows per INSERT
    TillActivity.objects.bulk_create([_activity(org_a, "before", 1)])  # keys do not start at 1
    rows = [_activity(org_a, f"row {index}", index) for index in range(60)]
    bulk.insert_objects(TillActivity, rows)
    stored = dict(TillActivity.objects.values_list("pk", "amount_cents"))
    assert all(stored[row.pk] == row.amount_cents for row in rows)
    assert len({row.pk for row in rows}) == 60


def test_a_server_handing_out_keys_in_steps_is_followed(org_a):
    """Galera and multi-primary set ``auto_increment_increment``: keys are 1, 3, 5..."""
    from cloud_api.sync.models import TillActivity

    with connection.cursor() as cursor:
        cursor.execute("SET SESSION auto_increment_increment = 3")
    try:
        connection.connection.__dict__.pop("asiria_key_step", None)
        rows = [_activity(org_a, f"step {index}", index) for index in range(10)]
        bulk.insert_objects(TillActivity, rows)
        stored = dict(TillActivity.objects.values_list("pk", "amount_cents"))
        assert all(stored[row.pk] == row.amount_cents for row in rows)
        assert rows[1].pk - rows[0].pk == 3
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION auto_increment_increment = 1")
        connection.connection.__dict__.pop("asiria_key_step", None)


def test_keys_are_read_back_when_the_server_may_interleave_them(org_a):
    """``innodb_autoinc_lock_mode = 2`` gives no consecutive keys: they are looked up."""
    from cloud_api.sync.models import TillActivity

    connection.ensure_connection()
    connection.connection.asiria_key_step = None
    try:
        rows = [_activity(org_a, f"mode 2 {index}", index) for index in range(5)]
        bulk.insert_objects(TillActivity, rows)
        stored = dict(TillActivity.objects.values_list("pk", "amount_cents"))
        assert all(stored[row.pk] == row.amount_cents for row in rows)
    finally:
        connection.connection.__dict__.pop("asiria_key_step", None)


def test_rows_without_keys_are_counted(org_a):
    from cloud_api.sync.models import Change

    now = datetime.now(UTC)
    rows = [(org_a.organisation.pk, None, "product", uuid7(), "upsert", now) for _ in range(3)]
    fields = ("organisation", "store", "entity", "entity_id", "op", "created_at")
    before = Change.objects.count()
    assert bulk.insert_rows(Change, fields, rows) == 3
    assert bulk.insert_rows(Change, fields, []) == 0
    assert Change.objects.count() == before + 3
    assert set(
        Change.objects.filter(entity_id__in=[r[3] for r in rows]).values_list(
            "entity_id", flat=True
        )
    ) == {r[3] for r in rows}


def test_text_round_trips_when_the_server_takes_no_backslash_escapes(org_a):
    from cloud_api.sync.models import TillActivity

    with connection.cursor() as cursor:
        cursor.execute("SELECT @@session.sql_mode")
        (mode,) = cursor.fetchone()
        cursor.execute("SET SESSION sql_mode = CONCAT(@@session.sql_mode, ',NO_BACKSLASH_ESCAPES')")
    try:
        rows = [_activity(org_a, text, index) for index, text in enumerate(AWKWARD_TEXT)]
        bulk.insert_objects(TillActivity, rows)
        stored = {row.pk: row for row in TillActivity.objects.all()}
        assert [stored[row.pk].payload["note"] for row in rows] == AWKWARD_TEXT
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION sql_mode = %s", [mode])
