"""Catalog import from CSV and XLSX (``asiria-cloud import_catalog`` and
``POST /api/v1/products/import/``): every row checked first and all bad lines reported with
their reasons; one bad line and nothing is written; a row updates the product with its
barcode, else its SKU, else its name."""

from __future__ import annotations

import base64
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from cloud_api.catalog.models import Category, PriceHistory, Product
from cloud_api.catalog.services import product_update
from cloud_api.sync.models import Change

GOOD = """Item,Selling Price,Code,Department,VAT,Cost
Mandazi,20,,Bakery,exempt,12.50
Coca-Cola 500ml,85.00,5449000000996,Drinks,,60
Sugar 1kg,189.99,6009801234564,Groceries,standard,150
Loose rice,160,,Groceries,,
"""
GOOD_MAP = [
    "name=Item",
    "price=Selling Price",
    "barcode=Code",
    "category=Department",
    "tax_class=VAT",
    "cost_price=Cost",
]


def run(org, path: Path, *options: str) -> str:
    out = StringIO()
    call_command("import_catalog", "--org", org.organisation.name, str(path), *options, stdout=out)
    return out.getvalue()


def maps(pairs: list[str]) -> list[str]:
    return [part for pair in pairs for part in ("--map", pair)]


def products(org) -> dict[str, Product]:
    return {p.name: p for p in Product.objects.filter(organisation=org.organisation)}


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_csv_adds_new_products_and_updates_known_ones(org_a, tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(GOOD, encoding="utf-8")
    changes = Change.objects.count()

    out = run(org_a, path, *maps(GOOD_MAP))

    assert "Added 3 products and updated 1 (4 rows)" in out
    assert "new categories: Bakery, Groceries." in out
    found = products(org_a)
    mandazi = found["Mandazi"]
    assert (mandazi.price_cents, mandazi.cost_price_cents) == (2000, 1250)
    assert mandazi.tax_class.code == "exempt" and mandazi.category.name == "Bakery"
    assert mandazi.barcode is None
    sugar = found["Sugar 1kg"]
    assert (sugar.price_cents, sugar.barcode, sugar.cost_price_cents) == (
        18999,
        "6009801234564",
        15000,
    )
    cola = found["Coca-Cola 500ml"]
    assert cola.pk == org_a.products[0].pk  # matched by its barcode
    assert (cola.price_cents, cola.cost_price_cents) == (8500, 6000)
    assert cola.category == org_a.category  # "Drinks" is the category it had
    assert list(
        PriceHistory.objects.filter(product=cola)
        .order_by("pk")
        .values_list("price_cents", flat=True)
    ) == [8000, 8500]
    rice = found["Loose rice"]
    assert rice.tax_class.code == "standard" and rice.sold_by == "unit"
    assert Category.objects.filter(organisation=org_a.organisation, name="Groceries").count() == 1
    assert Change.objects.count() > changes  # tills pull the new catalog

    again = run(org_a, path, *maps(GOOD_MAP))

    assert "Added 0 products and updated 4 (4 rows)" in again
    assert len(products(org_a)) == len(found)


@pytest.mark.django_db
def test_every_bad_line_is_reported_and_nothing_is_written(org_a, tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(
        "name,price,barcode,sku,tax_class,sold_by\n"
        "Bread,55,,,,\n"
        ",10,,,,\n"
        "Milk,,,,,\n"
        "Eggs,12.345,,,,\n"
        "Soap,abc,,,,\n"
        "Salt,-3,,,,\n"
        "Tea,100,5449000000997,,,\n"
        "Jam,100,,,luxury,\n"
        "Flour,100,,,,litre\n"
        "Honey,100,,HN 1,,\n"
        "Oil,100,,OIL1,,\n"
        "Ghee,100,,OIL1,,\n"
        "Water,50,5449000000996,,,\n",
        encoding="utf-8",
    )
    before = sorted(products(org_a))

    with pytest.raises(CommandError, match="Nothing imported: 10 bad lines of 13"):
        err = StringIO()
        call_command("import_catalog", "--org", org_a.organisation.name, str(path), stderr=err)
    report = err.getvalue()

    assert "line 3: name is empty" in report
    assert "line 4: price is empty" in report
    assert "line 5: price has more than two decimals" in report
    assert 'line 6: price "abc" is not a number' in report
    assert "line 7: price must be between 0 and" in report
    assert "line 8: The check digit of 5449000000997 is wrong" in report
    assert "line 9: tax_class must be one of standard, zero, exempt" in report
    assert "line 10: sold_by must be one of unit, weight" in report
    assert "line 11: A SKU may only hold printable ASCII characters" in report
    assert "line 13: sku OIL1 is also on line 12" in report
    assert "line 2:" not in report and "line 12:" not in report and "line 14:" not in report
    assert sorted(products(org_a)) == before


@pytest.mark.django_db
def test_a_barcode_of_another_product_is_a_bad_line_not_a_crash(org_a, tmp_path):
    product_update(product=org_a.products[1], sku="TOM1")
    path = tmp_path / "catalog.csv"
    # Coca-Cola's barcode with the tomatoes' SKU: which product would it be?
    path.write_text("name,price,barcode,sku\nNew soap,40,,\nMystery,130,5449000000996,TOM1\n")

    with pytest.raises(CommandError, match="1 bad lines of 2"):
        err = StringIO()
        call_command("import_catalog", "--org", org_a.organisation.name, str(path), stderr=err)

    assert "line 3: sku TOM1 belongs to Tomatoes (kg), not to Coca-Cola 500ml" in err.getvalue()
    assert "New soap" not in products(org_a)


@pytest.mark.django_db
def test_an_xlsx_sheet_with_numeric_cells_imports_like_the_csv(org_a, tmp_path):
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["Name", "Price", "Barcode", "Sold by", "Category"],
                ["Bananas (kg)", 99.5, None, "weight", "Fruit"],
                ["Sugar 1kg", 189, 6009801234564, None, None],
                [None, None, None, None, None],
                ["Coca-Cola 500ml", 90, 5449000000996, None, ""],
            ]
        )
    )

    out = run(org_a, path, "--map", "sold_by=Sold by")

    assert "Added 2 products and updated 1 (3 rows)" in out
    found = products(org_a)
    assert (found["Bananas (kg)"].price_cents, found["Bananas (kg)"].sold_by) == (9950, "weight")
    assert found["Sugar 1kg"].barcode == "6009801234564"  # a number cell, not "6009801234564.0"
    assert found["Coca-Cola 500ml"].price_cents == 9000


@pytest.mark.django_db
def test_check_only_reports_and_writes_nothing(org_a, tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(GOOD, encoding="utf-8")

    out = run(org_a, path, "--check", *maps(GOOD_MAP))

    assert "Would add 3 products and update 1 (4 rows)" in out
    assert "Mandazi" not in products(org_a)
    assert not Category.objects.filter(organisation=org_a.organisation, name="Bakery").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "options", "message"),
    [
        ("catalog.txt", b"name,price\nA,1\n", [], "Give a .csv or .xlsx file"),
        ("catalog.csv", b"", [], "The file is empty"),
        ("catalog.csv", b"name,Cost\nA,1\n", [], 'no "price" column'),
        ("catalog.csv", b"name,price\nA,1\n", ["--map", "colour=Colour"], "Unknown column colour"),
        ("catalog.csv", b"name,price\n\xff\xfe,1\n", [], "not a readable UTF-8 CSV"),
        ("catalog.xlsx", b"name,price\nA,1\n", [], "not a readable XLSX"),
    ],
)
def test_a_file_that_is_no_catalog_is_refused(org_a, tmp_path, name, content, options, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run(org_a, path, *options)


@pytest.mark.django_db
def test_the_api_imports_an_uploaded_xlsx(org_a, client_as):
    upload = SimpleUploadedFile(
        "catalog.xlsx",
        xlsx([["name", "price", "category"], ["Chapati", 25, "Bakery"]]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    response = client_as("manager").post(
        "/api/v1/products/import/", {"file": upload}, format="multipart"
    )

    assert response.status_code == 200, response.content
    assert response.json() == {
        "imported": True,
        "rows": 1,
        "created": 1,
        "updated": 0,
        "categories_created": ["Bakery"],
    }
    chapati = products(org_a)["Chapati"]
    assert chapati.price_cents == 2500
    price = PriceHistory.objects.get(product=chapati)
    assert price.changed_by == org_a.users["manager"]  # who imported it


@pytest.mark.django_db
def test_the_api_answers_bad_lines_in_the_error_shape(org_a, client_as):
    content = base64.b64encode(b"name,price\nChapati,25\nSamosa,ten\n").decode()

    response = client_as("owner").post(
        "/api/v1/products/import/",
        {"file_name": "catalog.csv", "content_base64": content},
        format="json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == "Nothing imported: 1 bad lines of 2."
    assert error["fields"] == {"file": ['line 3: price "ten" is not a number']}
    assert "Chapati" not in products(org_a)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"file_name": "catalog.csv", "content_base64": "not base64!"},
        {"file_name": "catalog.pdf", "content_base64": base64.b64encode(b"x").decode()},
        {"file_name": "c.csv", "content_base64": "eA==", "map": ["no equals sign"]},
    ],
)
def test_the_api_answers_bad_requests_with_400(org_a, client_as, body):
    response = client_as("owner").post("/api/v1/products/import/", body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["error"]["message"]


@pytest.mark.django_db
def test_a_dry_run_through_the_api_writes_nothing(org_a, client_as):
    content = base64.b64encode(GOOD.encode()).decode()

    response = client_as("owner").post(
        "/api/v1/products/import/",
        {
            "file_name": "catalog.csv",
            "content_base64": content,
            "map": GOOD_MAP,
            "dry_run": True,
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json() == {
        "imported": False,
        "rows": 4,
        "created": 3,
        "updated": 1,
        "categories_created": ["Bakery", "Groceries"],
    }
    assert "Mandazi" not in products(org_a)
