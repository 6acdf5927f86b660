"""``asiria-cloud import_sales_history``: the whole file checked first, one transaction,
imported-history sales that move no stock and send nothing, and no doubles on a re-import."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from cloud_api.catalog.models import Product
from cloud_api.inventory.models import StockMovement
from cloud_api.notifications.models import Notification
from cloud_api.sales.models import Sale, SaleLine

BAKERY = """Date,Time,Transaction,Item
2026-03-02,09:58:11,1,Bread
2026-03-02,10:05:34,2,Scandinavian
2026-03-02,10:05:34,2,Scandinavian
2026-03-02,10:07:57,3,NONE
2026-03-03,10:08:41,4,Coca-Cola 500ml
"""
MAPPING = ["receipt=Transaction", "product=Item", "date=Date", "time=Time"]


def run_import(org, path: Path, *maps: str) -> str:
    out = StringIO()
    args = ["--org", org.organisation.name, "--store", org.stores[0].code, str(path)]
    for item in maps:
        args += ["--map", item]
    call_command("import_sales_history", *args, stdout=out, stderr=out)
    return out.getvalue()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_pos_log_becomes_imported_history_once(org_a, tmp_path):
    path = write(tmp_path, BAKERY)
    movements = StockMovement.objects.count()
    notifications = Notification.objects.count()

    first = run_import(org_a, path, *MAPPING)
    again = run_import(org_a, path, *MAPPING)

    sales = Sale.objects.filter(store=org_a.stores[0]).order_by("receipt_no")
    assert [s.receipt_no for s in sales] == ["H-1", "H-2", "H-4"]
    assert all(s.imported_history for s in sales)
    assert [s.items_count for s in sales] == [1, 2, 1]
    assert str(sales[0].business_date) == "2026-03-02"
    local = sales[0].completed_at.astimezone(ZoneInfo("Africa/Nairobi"))
    assert local.strftime("%H:%M:%S") == "09:58:11"
    cola = SaleLine.objects.get(sale=sales[2])
    assert cola.product == org_a.products[0]  # matched by name, not created again
    assert cola.unit_price_cents == 8000 and cola.total_cents == 8000
    assert cola.tax_cents == 1103  # VAT inside 80.00 at 16%
    assert set(
        Product.objects.filter(organisation=org_a.organisation).values_list("name", flat=True)
    ) >= {"Bread", "Scandinavian"}
    assert StockMovement.objects.count() == movements
    assert Notification.objects.count() == notifications
    assert "Imported 3 sales" in first and "1 empty lines skipped" in first
    assert "Imported 0 sales" in again and "3 receipts were already imported" in again
    assert Sale.objects.filter(store=org_a.stores[0]).count() == 3


@pytest.mark.django_db
def test_canonical_columns_with_quantities_and_prices(org_a, tmp_path):
    path = write(
        tmp_path,
        "date,receipt,product,quantity,unit_price\n"
        "2026-03-02,A1,Tomatoes (kg),1.25,120.00\n"
        "2026-03-02,A1,Coca-Cola 500ml,3,75.50\n",
    )

    run_import(org_a, path)

    sale = Sale.objects.get(store=org_a.stores[0], receipt_no="H-A1")
    tomatoes, cola = sale.lines.order_by("line_no")
    assert tomatoes.qty is None and tomatoes.qty_milli == 1250 and tomatoes.total_cents == 15000
    assert cola.qty == 3 and cola.unit_price_cents == 7550 and cola.total_cents == 22650
    assert sale.total_cents == 37650 and sale.items_count == 4


@pytest.mark.django_db
def test_bad_rows_are_listed_and_nothing_is_imported(org_a, tmp_path):
    path = write(
        tmp_path,
        "date,time,receipt,product,quantity,unit_price\n"
        "2026-03-02,09:00,1,Bread,1,50\n"
        "2026-13-02,09:00,2,Bread,1,50\n"
        "2026-03-02,25:00,3,Bread,1,50\n"
        "2026-03-02,09:00,4,Bread,-2,50\n"
        "2026-03-02,09:00,5,Bread,1,abc\n"
        "2026-03-02,09:00,,Bread,1,50\n"
        "2026-03-03,09:00,1,Bread,1,50\n",
    )
    out = StringIO()

    with pytest.raises(CommandError, match="Nothing imported: 6 bad lines of 7"):
        call_command(
            "import_sales_history",
            "--org",
            org_a.organisation.name,
            "--store",
            org_a.stores[0].name,
            str(path),
            stderr=out,
        )

    report = out.getvalue()
    assert "line 3: month must be in 1..12" in report
    assert 'line 4: time "25:00" is not HH:MM or HH:MM:SS' in report
    assert "line 5: quantity must be above 0" in report
    assert "line 6: quantity or unit_price is not a number" in report
    assert "line 7: receipt is empty" in report
    assert "line 8: receipt 1 is dated 2026-03-02 on line 2" in report
    assert not Sale.objects.filter(store=org_a.stores[0]).exists()
    assert not Product.objects.filter(name="Bread").exists()


@pytest.mark.django_db
def test_a_missing_column_or_unknown_store_is_refused_plainly(org_a, tmp_path):
    path = write(tmp_path, BAKERY)

    with pytest.raises(CommandError, match='no "receipt" column for receipt'):
        run_import(org_a, path)
    with pytest.raises(CommandError, match="Unknown column colour"):
        run_import(org_a, path, "colour=Item")
    with pytest.raises(CommandError, match="has no store called or coded"):
        call_command(
            "import_sales_history",
            "--org",
            org_a.organisation.name,
            "--store",
            "Mombasa",
            str(path),
        )
