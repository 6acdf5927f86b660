"""Every report's totals equal the sums of the synced sales to the cent, and the daily
aggregates equal what the raw rows make (``reports_rebuild --check``).

Sales arrive through a till's push (the production path), with weighed items, split tenders
with change, and then voids and part refunds through the same services a till's events use.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from uuid6 import uuid7

from cloud_api.core.principal import principal_for_user
from cloud_api.payments.models import Payment
from cloud_api.reporting.models import (
    ChainDailyProductSales,
    ChainDailySales,
    DailyStoreSales,
    MonthlyProductSales,
)
from cloud_api.reporting.rebuild import aggregates_differences, aggregates_rebuild
from cloud_api.reporting.selectors.catalogue import REPORTS, report_run
from cloud_api.reporting.selectors.scope import ReportFilter
from cloud_api.reporting.selectors.summary import sales_summary
from cloud_api.sales.models import Refund, Sale, SaleLine
from cloud_api.sales.services import refund_create, sale_void

from .conftest import terminal_client
from .sync_support import envelope, push, statuses

NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")
# September's last days, the whole of October, November's first days: ranges that take whole
# months from the monthly table and cut ones from the daily table.
FIRST = date(2026, 9, 24)
DAYS = 46

a_line = st.one_of(
    st.tuples(st.just(0), st.integers(1, 6), st.none()),  # coke by count
    st.tuples(st.just(1), st.none(), st.integers(1, 4999)),  # tomatoes by weight (grams)
)
a_sale = st.fixed_dictionaries(
    {
        "lines": st.lists(a_line, min_size=1, max_size=4),
        "day": st.integers(0, DAYS - 1),
        "minute": st.integers(0, 24 * 60 - 1),
        "split": st.sampled_from(["cash", "mpesa", "card+cash", "mpesa+cash_change"]),
        "after": st.sampled_from(["keep", "keep", "void", "refund"]),
    }
)


def _tenders(split: str, total: int) -> list[tuple[str, int]]:
    if split == "cash":
        return [("cash", total)]
    if split == "mpesa":
        return [("mpesa", total)]
    if split == "card+cash":
        return [("card", total // 2), ("cash", total - total // 2)]
    return [("mpesa", total // 3), ("cash", total - total // 3 + 500)]  # 5 shillings change


def _raw(org) -> dict[str, int]:
    completed = Sale.objects.filter(organisation=org.organisation, status="completed")
    lines = SaleLine.objects.filter(sale__in=completed)
    refunds = Refund.objects.filter(sale__organisation=org.organisation)
    return {
        "sales_count": completed.count(),
        "total": int(completed.aggregate(s=Sum("total_cents"))["s"] or 0),
        "tax": int(completed.aggregate(s=Sum("tax_cents"))["s"] or 0),
        "discount": int(completed.aggregate(s=Sum("discount_cents"))["s"] or 0),
        "line_total": int(lines.aggregate(s=Sum("total_cents"))["s"] or 0),
        "cost": int(lines.aggregate(s=Sum("cost_cents"))["s"] or 0),
        "tendered": int(
            Payment.objects.filter(sale__in=completed).aggregate(s=Sum("amount_cents"))["s"] or 0
        ),
        "voided": Sale.objects.filter(organisation=org.organisation, status="voided").count(),
        "refunds": int(refunds.aggregate(s=Sum("amount_cents"))["s"] or 0),
        "refunds_tax": int(refunds.aggregate(s=Sum("tax_cents"))["s"] or 0),
        "refunds_count": refunds.count(),
    }


def _push_sales(org, client, sales, seq_start: int) -> list[Sale]:
    events = []
    for number, spec in enumerate(sales):
        items = [(org.products[product], qty, milli) for product, qty, milli in spec["lines"]]
        moment = datetime.combine(
            FIRST + timedelta(days=spec["day"]), datetime.min.time(), tzinfo=NAIROBI
        ) + timedelta(minutes=spec["minute"])
        payload = org.make_sale(items=items, completed_at=moment)
        payload["payments"] = [
            {"id": str(uuid7()), "method": method, "amount_cents": amount, "reference": None}
            for method, amount in _tenders(spec["split"], payload["total_cents"])
        ]
        paid = sum(p["amount_cents"] for p in payload["payments"])
        payload["change_cents"] = paid - payload["total_cents"]
        events.append(envelope("sale.completed", payload, seq_start + number))
    assert set(statuses(push(client, events))) == {"applied"}
    ids = [event["payload"]["id"] for event in events]
    by_uuid = {str(sale.uuid): sale for sale in Sale.objects.filter(uuid__in=ids)}
    return [by_uuid[i] for i in ids]


def check_every_report_reconciles(org) -> None:
    raw = _raw(org)
    f = ReportFilter(org.organisation.pk, FIRST - timedelta(days=1), FIRST + timedelta(days=DAYS))
    tables = {name: report_run(name, f) for name in REPORTS}
    for name in ("sales-by-day", "sales-by-week", "sales-by-month"):
        totals = tables[name].totals
        assert totals["total_cents"] == raw["total"], name
        assert totals["sales_count"] == raw["sales_count"], name
        assert totals["tax_cents"] == raw["tax"], name
        assert totals["refunds_cents"] == raw["refunds"], name
        assert totals["net_cents"] == raw["total"] - raw["refunds"], name
        assert sum(row["total_cents"] for row in tables[name].rows) == raw["total"], name
    for name in ("sales-by-store", "sales-by-terminal", "sales-by-cashier"):
        assert tables[name].totals["total_cents"] == raw["total"], name
        assert tables[name].totals["sales_count"] == raw["sales_count"], name
        assert tables[name].totals["discount_cents"] == raw["discount"], name
    for name in ("sales-by-product", "sales-by-category", "gross-margin"):
        totals = tables[name].totals
        assert totals["total_cents"] == raw["total"] == raw["line_total"], name
        assert totals["tax_cents"] == raw["tax"], name
        assert totals["cost_cents"] == raw["cost"], name
    vat = tables["vat"].totals
    assert vat["tax_cents"] == raw["tax"]
    assert vat["refunds_tax_cents"] == raw["refunds_tax"]
    assert vat["net_tax_cents"] == raw["tax"] - raw["refunds_tax"]
    payments = tables["sales-by-payment-method"].totals
    assert payments["tendered_cents"] == raw["tendered"]
    assert payments["kept_cents"] == raw["total"]
    rvd = tables["refunds-voids-discounts"].totals
    assert rvd["voided_count"] == raw["voided"]
    assert rvd["refunds_cents"] == raw["refunds"]
    assert rvd["refunds_count"] == raw["refunds_count"]
    assert aggregates_differences(org.organisation.pk) == []


def check_range_reconciles(org, date_from: date, date_to: date) -> None:
    """The product, category and margin reports over one range equal the raw lines of the
    completed sales of those days, to the cent, product by product and store by store."""
    completed = Sale.objects.filter(
        organisation=org.organisation,
        status="completed",
        business_date__gte=date_from,
        business_date__lte=date_to,
    )
    lines = SaleLine.objects.filter(sale__in=completed)
    raw_products = {
        row["product__uuid"]: (int(row["total"]), int(row["tax"]), int(row["cost"] or 0))
        for row in lines.values("product__uuid").annotate(
            total=Sum("total_cents"), tax=Sum("tax_cents"), cost=Sum("cost_cents")
        )
    }
    raw_total = int(completed.aggregate(s=Sum("total_cents"))["s"] or 0)
    f = ReportFilter(org.organisation.pk, date_from, date_to)
    products = report_run("sales-by-product", f)
    got = {
        row["id"]: (row["total_cents"], row["tax_cents"], row["cost_cents"])
        for row in products.rows
        if row["total_cents"] or row["tax_cents"] or row["cost_cents"]
    }
    assert got == raw_products, (date_from, date_to)
    assert products.totals["total_cents"] == raw_total, (date_from, date_to)
    for name in ("sales-by-category", "gross-margin"):
        assert report_run(name, f).totals["total_cents"] == raw_total, (name, date_from, date_to)
    store_f = ReportFilter(org.organisation.pk, date_from, date_to, (org.terminal.store_id,))
    assert report_run("sales-by-product", store_f).totals["total_cents"] == raw_total
    # Day by day: all stores read the chain-wide sales rows, one store its own rows; both equal
    # the raw completed sales of each day, and so does the v1 summary.
    raw_days = {
        row["business_date"]: (row["n"], int(row["total"]), int(row["tax"]))
        for row in completed.values("business_date").annotate(
            n=Count("id"), total=Sum("total_cents"), tax=Sum("tax_cents")
        )
    }
    for scope in (f, store_f):
        days = report_run("sales-by-day", scope).rows
        got_days = {
            row["period"]: (row["sales_count"], row["total_cents"], row["tax_cents"])
            for row in days
            if row["sales_count"]
        }
        assert got_days == raw_days, (scope, date_from, date_to)
    owner = principal_for_user(org.users["owner"])
    assert owner is not None
    summary = sales_summary(principal=owner, date_from=date_from, date_to=date_to)
    assert {
        day["date"]: (day["sales_count"], day["total_cents"], day["tax_cents"])
        for day in summary["by_day"]
    } == raw_days
    assert summary["total_cents"] == raw_total
    assert aggregates_differences(org.organisation.pk, date_from, date_to) == []


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sales=st.lists(a_sale, min_size=1, max_size=6),
    ranges=st.lists(
        st.tuples(st.integers(-8, DAYS + 8), st.integers(0, DAYS + 16)), min_size=2, max_size=4
    ),
)
def test_every_report_equals_the_synced_sales_to_the_cent(org_a, sales, ranges):
    from cloud_api.catalog.models import Product

    Product.objects.filter(pk=org_a.products[0].pk).update(cost_price_cents=5123)
    org_a.products[0].refresh_from_db()
    client = terminal_client(org_a)
    # The till's sequence numbers run on from example to example (no gaps).
    seq = getattr(org_a, "next_seq", 1)
    org_a.next_seq = seq + len(sales)
    stored = _push_sales(org_a, client, sales, seq)
    manager = org_a.users["manager"]
    for sale, spec in zip(stored, sales, strict=True):
        if spec["after"] == "void":
            sale_void(sale=sale, voided_by=manager, reason="wrong item")
        elif spec["after"] == "refund":
            line = sale.lines.order_by("line_no").first()
            amount = (
                {"qty": 1} if line.qty is not None else {"qty_milli": max(1, line.qty_milli // 2)}
            )
            refund_create(
                sale=sale,
                lines=[{"line_id": line.uuid, **amount}],
                method="cash",
                reason="returned",
                created_by=manager,
                created_at=sale.completed_at + timedelta(days=1),
            )
    check_every_report_reconciles(org_a)
    # Arbitrary ranges, most of them cutting a month at one end or both.
    for start, length in [(7, 31), *ranges]:  # the first: October 1-31, one whole month
        day_from = FIRST + timedelta(days=start)
        check_range_reconciles(org_a, day_from, day_from + timedelta(days=length))
    assert MonthlyProductSales.objects.filter(organisation=org_a.organisation).exists()
    assert ChainDailySales.objects.filter(organisation=org_a.organisation).exists()


def test_margin_keeps_the_cost_at_the_time_of_sale(org_a, record_sale):
    from cloud_api.catalog.models import Product

    coke = org_a.products[0]
    Product.objects.filter(pk=coke.pk).update(cost_price_cents=5000)
    coke.refresh_from_db()
    record_sale(org_a, items=[(coke, 2, None)])
    Product.objects.filter(pk=coke.pk).update(cost_price_cents=9000)  # the cost rises later

    f = ReportFilter(org_a.organisation.pk, date(2026, 11, 24), date(2026, 11, 24))
    [row] = report_run("sales-by-product", f).rows
    assert row["cost_cents"] == 10000
    assert row["total_cents"] == 16000
    assert row["net_ex_tax_cents"] == 16000 - 2207
    assert row["margin_cents"] == 16000 - 2207 - 10000
    assert row["margin_percent"] == round((16000 - 2207 - 10000) * 100 / (16000 - 2207), 1)


def test_rebuild_repairs_aggregates_and_check_finds_the_difference(org_a, record_sale):
    from io import StringIO

    import pytest
    from django.core.management import call_command

    record_sale(org_a)
    assert aggregates_differences(org_a.organisation.pk) == []
    DailyStoreSales.objects.filter(organisation=org_a.organisation).update(total_cents=1)
    [difference] = aggregates_differences(org_a.organisation.pk)
    assert difference.table == "daily store sales"

    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("reports_rebuild", "--check", stdout=out)
    assert "differ" in out.getvalue()

    call_command("reports_rebuild", stdout=out)
    assert aggregates_differences(org_a.organisation.pk) == []
    call_command("reports_rebuild", "--check", stdout=out)
    aggregates_rebuild(org_a.organisation.pk)
    assert aggregates_differences(org_a.organisation.pk) == []

    # The monthly rollup is checked and rebuilt too, also from a range that cuts its month.
    MonthlyProductSales.objects.filter(organisation=org_a.organisation).update(cost_cents=7)
    differences = aggregates_differences(org_a.organisation.pk)
    assert differences and {d.table for d in differences} == {"monthly product sales"}
    day = Sale.objects.get(organisation=org_a.organisation).business_date
    assert aggregates_differences(org_a.organisation.pk, day, day) == differences
    aggregates_rebuild(org_a.organisation.pk, day, day)
    assert aggregates_differences(org_a.organisation.pk) == []
    ChainDailyProductSales.objects.filter(organisation=org_a.organisation).update(tax_cents=3)
    differences = aggregates_differences(org_a.organisation.pk)
    assert differences and {d.table for d in differences} == {"chain daily product sales"}
    aggregates_rebuild(org_a.organisation.pk, day, day)
    assert aggregates_differences(org_a.organisation.pk) == []
    ChainDailySales.objects.filter(organisation=org_a.organisation).update(total_cents=11)
    differences = aggregates_differences(org_a.organisation.pk)
    assert differences and {d.table for d in differences} == {"chain daily sales"}
    with pytest.raises(SystemExit):
        call_command("reports_rebuild", "--check", stdout=out)
    call_command("reports_rebuild", stdout=out)
    assert aggregates_differences(org_a.organisation.pk) == []
    MonthlyProductSales.objects.filter(organisation=org_a.organisation).delete()
    with pytest.raises(SystemExit):
        call_command("reports_rebuild", "--check", stdout=out)
    call_command("reports_rebuild", "--from", day.isoformat(), "--to", day.isoformat(), stdout=out)
    assert aggregates_differences(org_a.organisation.pk) == []
