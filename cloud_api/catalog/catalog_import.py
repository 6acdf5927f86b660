"""A catalog from a CSV or XLSX file: every row checked first, then all written, or nothing.

Columns (first row the headers; ``--map COLUMN=HEADER`` renames): ``name`` and ``price``
(decimal, in shillings) are required; ``barcode``, ``sku``, ``category`` (a name: made when
new), ``tax_class`` (standard, zero or exempt; standard when empty), ``sold_by`` (unit or
weight; unit when empty) and ``cost_price`` (decimal) are optional. A row updates the product
with its barcode, else its SKU, else its name; otherwise it adds a product.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from django.db import transaction

from cloud_api.accounts.models import Organisation, User
from cloud_api.catalog.barcodes import barcode_problem, sku_problem
from cloud_api.catalog.models import Category, Product, SoldBy, TaxClass, TaxCode
from cloud_api.catalog.services import (
    category_create,
    product_cost_record,
    product_create,
    product_update,
    tax_classes_ensure_defaults,
)

COLUMNS = ("name", "price", "barcode", "sku", "category", "tax_class", "sold_by", "cost_price")
REQUIRED = ("name", "price")
MAX_PRICE = Decimal(10_000_000)
MAX_ROWS = 100_000


class CatalogImportRefused(Exception):
    """The file cannot be read as a catalog at all (not CSV/XLSX, no name or price column)."""


@dataclass
class _Row:
    line: int
    name: str
    price_cents: int
    barcode: str | None
    sku: str | None
    category: str | None
    tax_class: str
    sold_by: str
    cost_price_cents: int | None


@dataclass
class CatalogReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    categories_created: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    """A cell as text: spreadsheets hand over barcodes as numbers (5449000000996.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cents(text: str, column: str) -> int:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as error:
        raise ValueError(f'{column} "{text[:20]}" is not a number') from error
    if not value.is_finite() or value < 0 or value > MAX_PRICE:
        raise ValueError(f"{column} must be between 0 and {MAX_PRICE}")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{column} has more than two decimals")
    return int(cents)


def header_mapping(headers: Iterable[Any], renames: Mapping[str, str]) -> dict[str, int]:
    """Canonical column -> its position in the header row."""
    present = [_text(h) for h in headers]
    unknown = sorted(set(renames) - set(COLUMNS))
    if unknown:
        raise CatalogImportRefused(
            f"Unknown column {', '.join(unknown)} in --map; the columns are {', '.join(COLUMNS)}."
        )
    mapping: dict[str, int] = {}
    lowered = [h.lower() for h in present]
    for column in COLUMNS:
        wanted = renames.get(column, column).lower()
        if wanted in lowered:
            mapping[column] = lowered.index(wanted)
        elif column in REQUIRED:
            raise CatalogImportRefused(
                f'The file has no "{renames.get(column, column)}" column for {column}; '
                f"its columns are: {', '.join(h for h in present if h) or 'none'}."
            )
    return mapping


def read_rows(
    rows: Iterable[list[Any]], mapping: Mapping[str, int], report: CatalogReport
) -> list[_Row]:
    good: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    for index, cells in enumerate(rows):
        line = index + 2
        if not any(_text(c) for c in cells):
            continue
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.errors.append((line, f"more than {MAX_ROWS} rows: split the file"))
            break

        def cell(column: str, cells: list[Any] = cells) -> str:
            at = mapping.get(column)
            return _text(cells[at]) if at is not None and at < len(cells) else ""

        try:
            name = cell("name")
            if not name:
                raise ValueError("name is empty")
            if len(name) > 200:
                raise ValueError("name is longer than 200 characters")
            if not cell("price"):
                raise ValueError("price is empty")
            price = _cents(cell("price"), "price")
            cost = _cents(cell("cost_price"), "cost_price") if cell("cost_price") else None
            barcode = cell("barcode") or None
            if barcode and (problem := barcode_problem(barcode)):
                raise ValueError(problem)
            sku = cell("sku") or None
            if sku and (problem := sku_problem(sku)):
                raise ValueError(problem)
            tax = (cell("tax_class") or TaxCode.STANDARD.value).lower()
            if tax not in TaxCode.values:
                raise ValueError(f"tax_class must be one of {', '.join(TaxCode.values)}")
            sold_by = (cell("sold_by") or SoldBy.UNIT.value).lower()
            if sold_by not in SoldBy.values:
                raise ValueError(f"sold_by must be one of {', '.join(SoldBy.values)}")
            category = cell("category") or None
            if category and len(category) > 120:
                raise ValueError("category is longer than 120 characters")
            # A name may come twice (the later row wins); a code names one product only.
            for key, value in (("barcode", barcode), ("sku", sku)):
                if value and (key, value) in seen:
                    raise ValueError(f"{key} {value} is also on line {seen[(key, value)]}")
            for key, value in (("barcode", barcode), ("sku", sku)):
                if value:
                    seen[(key, value)] = line
        except ValueError as error:
            report.errors.append((line, str(error)))
            continue
        good.append(_Row(line, name, price, barcode, sku, category, tax, sold_by, cost))
    return good


def _existing(organisation: Organisation) -> dict[tuple[str, str], Product]:
    known: dict[tuple[str, str], Product] = {}
    for product in Product.objects.filter(organisation=organisation).order_by("pk"):
        if product.barcode:
            known[("barcode", product.barcode)] = product
        if product.sku:
            known[("sku", product.sku)] = product
        known.setdefault(("name", product.name.lower()), product)
    return known


def _plan(
    good: list[_Row], known: dict[tuple[str, str], Product], report: CatalogReport
) -> list[tuple[_Row, Product | None]]:
    """Each row with the product it updates (None: a new one); a row whose barcode or SKU
    already belongs to another product than the one it updates is a bad row."""
    planned: list[tuple[_Row, Product | None]] = []
    for row in good:
        by_barcode = known.get(("barcode", row.barcode)) if row.barcode else None
        by_sku = known.get(("sku", row.sku)) if row.sku else None
        product = by_barcode or by_sku or known.get(("name", row.name.lower()))
        target = product.name if product else "a new product"
        clashes = [
            f"{label} {code} belongs to {other.name}, not to {target}"
            for label, code, other in (
                ("barcode", row.barcode, by_barcode),
                ("sku", row.sku, by_sku),
            )
            if other is not None and other != product
        ]
        if clashes:
            report.errors.append((row.line, "; ".join(clashes)))
            continue
        planned.append((row, product))
    return planned


def catalog_import(
    *,
    organisation: Organisation,
    rows: Iterable[list[Any]],
    mapping: Mapping[str, int],
    dry_run: bool = False,
    user: User | None = None,
) -> CatalogReport:
    """Check every row, then write them all in one transaction, or nothing when one is bad.
    ``dry_run`` checks and counts without writing."""
    report = CatalogReport()
    good = read_rows(rows, mapping, report)
    if report.errors:
        return report
    with transaction.atomic():
        tax_classes_ensure_defaults(organisation=organisation)
        tax_classes = {t.code: t for t in TaxClass.objects.filter(organisation=organisation)}
        categories = {c.name.lower(): c for c in Category.objects.filter(organisation=organisation)}
        known = _existing(organisation)
        planned = _plan(good, known, report)
        if report.errors:
            return report
        if dry_run:
            new_names: set[str] = set()
            for row, product in planned:
                if product is None and row.name.lower() not in new_names:
                    new_names.add(row.name.lower())
                    report.created += 1
                else:
                    report.updated += 1
            report.categories_created = sorted(
                {r.category for r, _ in planned if r.category}
                - {c.name for c in categories.values()},
                key=str.lower,
            )
            return report
        for row, found in planned:
            category: Category | None = None
            if row.category:
                category = categories.get(row.category.lower())
                if category is None:
                    category = category_create(organisation=organisation, name=row.category)
                    categories[row.category.lower()] = category
                    report.categories_created.append(row.category)
            # A product made by an earlier row of the same file is updated, not made twice.
            product = found or known.get(("name", row.name.lower()))
            if product is not None:
                product = product_update(
                    product=product,
                    changed_by=user,
                    name=row.name,
                    price_cents=row.price_cents,
                    tax_class=tax_classes[row.tax_class],
                    barcode=row.barcode or product.barcode,
                    sku=row.sku or product.sku,
                    category=category or product.category,
                    sold_by=row.sold_by,
                )
                if row.cost_price_cents is not None:
                    product_cost_record(product=product, cost_price_cents=row.cost_price_cents)
                report.updated += 1
            else:
                product = product_create(
                    organisation=organisation,
                    created_by=user,
                    name=row.name,
                    price_cents=row.price_cents,
                    tax_class=tax_classes[row.tax_class],
                    barcode=row.barcode,
                    sku=row.sku,
                    category=category,
                    sold_by=row.sold_by,
                    cost_price_cents=row.cost_price_cents,
                )
                report.created += 1
            if row.barcode:
                known[("barcode", row.barcode)] = product
            if row.sku:
                known[("sku", row.sku)] = product
            known[("name", row.name.lower())] = product
    return report


def _sheet_rows(stream: BinaryIO) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise CatalogImportRefused("The file is not a readable XLSX workbook.") from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _csv_rows(stream: BinaryIO) -> list[list[Any]]:
    try:
        text = stream.read().decode("utf-8-sig")
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except (UnicodeDecodeError, csv.Error) as error:
        raise CatalogImportRefused(f"The file is not a readable UTF-8 CSV file: {error}") from error


def catalog_import_stream(
    *,
    organisation: Organisation,
    file_name: str,
    stream: BinaryIO,
    renames: Mapping[str, str],
    dry_run: bool = False,
    user: User | None = None,
) -> CatalogReport:
    """A CSV or XLSX file (told apart by its name) read from ``stream``."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise CatalogImportRefused("Give a .csv or .xlsx file.")
    # Every row is read before the transaction: a bad byte late in the file refuses it whole.
    rows = _sheet_rows(stream) if suffix == ".xlsx" else _csv_rows(stream)
    if not rows:
        raise CatalogImportRefused("The file is empty.")
    mapping = header_mapping(rows[0], renames)
    return catalog_import(
        organisation=organisation, rows=rows[1:], mapping=mapping, dry_run=dry_run, user=user
    )


def catalog_import_file(
    *, organisation: Organisation, path: str, renames: Mapping[str, str], dry_run: bool = False
) -> CatalogReport:
    with Path(path).open("rb") as stream:
        return catalog_import_stream(
            organisation=organisation,
            file_name=path,
            stream=stream,
            renames=renames,
            dry_run=dry_run,
        )
