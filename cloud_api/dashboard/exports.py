"""CSV exports of the dashboard's pages. Amounts are written as decimal numbers in the
currency's main unit (``1234.50``), the way a spreadsheet reads money; a text cell that a
spreadsheet would run as a formula is written with a leading apostrophe."""

from __future__ import annotations

import csv
import io
import zoneinfo
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from cloud_api.dashboard.rows import SalesTrend
from cloud_api.sales.models import Sale

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500


def amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}.{part:02d}"


def text(value: object) -> str:
    shown = "" if value is None else str(value)
    return "'" + shown if shown.startswith(FORMULA_STARTS) else shown


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """The rows as CSV text, a byte-order mark first so spreadsheet programs read UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def sales_rows(sales: QuerySet[Sale], time_zone: str) -> Iterator[list[str]]:
    zone = zoneinfo.ZoneInfo(time_zone)
    currency = ""
    yield [
        "Receipt",
        "Date",
        "Time",
        "Store",
        "Till",
        "Cashier",
        "Items",
        "Currency",
        "Total",
        "VAT",
        "Discount",
        "Cash",
        "Card",
        "M-Pesa",
        "Change",
    ]
    for sale in sales.prefetch_related("payments").iterator(chunk_size=BATCH):
        paid = {"cash": 0, "card": 0, "mpesa": 0}
        for payment in sale.payments.all():
            paid[payment.method] = paid.get(payment.method, 0) + payment.amount_cents
        currency = sale.currency
        yield [
            text(sale.receipt_no),
            sale.business_date.isoformat(),
            sale.completed_at.astimezone(zone).strftime("%H:%M:%S"),
            text(sale.store.name),
            text(sale.terminal.name if sale.terminal else "entered in head office"),
            text(sale.cashier.name or sale.cashier.email),
            str(sale.items_count),
            currency,
            amount(sale.total_cents),
            amount(sale.tax_cents),
            amount(sale.discount_cents),
            amount(paid["cash"]),
            amount(paid["card"]),
            amount(paid["mpesa"]),
            amount(sale.change_cents),
        ]


def day_rows(trend: SalesTrend) -> Iterator[list[str]]:
    yield ["Date", "Sales", "Total"]
    for day in trend["days"]:
        yield [day["date"].isoformat(), str(day["sales_count"]), amount(day["total_cents"])]
    summary = trend["summary"]
    yield ["Total", str(summary["sales_count"]), amount(summary["total_cents"])]
    yield ["Refunds", "", amount(-summary["refunds_cents"])]
    yield ["Net", "", amount(summary["net_cents"])]
