"""Sales history from another POS, from a CSV file: checked whole, then written in one go.

Canonical columns: ``date`` (YYYY-MM-DD), ``time`` (HH:MM[:SS], optional), ``receipt`` (the old
POS's transaction id), ``product`` (name: matched to a product of the organisation, or a new one
is made), ``quantity`` (default 1), ``unit_price`` (decimal, optional: the product's price).

Every row is checked before anything is written; one bad row and nothing is imported, and the
report lists each bad row with its reason. Imported sales are flagged ``imported_history``:
they are written straight to the tables (no stock movement, no notification, no sync event),
and their receipt numbers (``H-<receipt>``) make a second import of the same file skip them.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db import transaction
from uuid6 import uuid7

from cloud_api.accounts.models import Organisation, Role, Store, User
from cloud_api.analytics.insights_tasks import insights_refresh_soon
from cloud_api.catalog.models import Product, TaxClass, TaxCode
from cloud_api.sales.models import Sale, SaleLine
from cloud_api.sales.tax import band_line_taxes

COLUMNS = ("date", "time", "receipt", "product", "quantity", "unit_price")
REQUIRED = ("date", "receipt", "product")
RECEIPT_PREFIX = "H-"
MAX_RECEIPT = 40 - len(RECEIPT_PREFIX)
MAX_QUANTITY = Decimal(100_000)
MAX_UNIT_PRICE = Decimal(10_000_000)
MAX_ROWS = 5_000_000
# What other tills write in the product column for an empty line: skipped, not an error.
EMPTY_LINE_NAMES = frozenset({"", "none", "null", "n/a", "-"})
BATCH = 2000
TIME_PATTERN = re.compile(r"([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?")


class ImportRefused(Exception):
    """The file cannot be read as a sales history at all (missing columns, unknown header)."""


@dataclass
class _Line:
    product: str
    qty_milli: int
    unit_price_cents: int | None


@dataclass
class _Receipt:
    number: str
    day: date
    moment: time
    first_row: int
    lines: list[_Line] = field(default_factory=list)
    digest: hashlib._Hash = field(default_factory=hashlib.sha256)


@dataclass
class ImportReport:
    rows: int = 0
    empty_lines: int = 0
    sales_created: int = 0
    lines_created: int = 0
    sales_already_imported: int = 0
    products_created: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def header_mapping(headers: Iterable[str], renames: Mapping[str, str]) -> dict[str, str]:
    """Canonical column -> the file's header. ``renames``: canonical -> header (``--map``)."""
    present = {h.strip(): h for h in headers if h is not None}
    unknown = sorted(set(renames) - set(COLUMNS))
    if unknown:
        raise ImportRefused(
            f"Unknown column {', '.join(unknown)} in --map; the columns are {', '.join(COLUMNS)}."
        )
    mapping: dict[str, str] = {}
    for column in COLUMNS:
        wanted = renames.get(column, column)
        match = present.get(wanted) or next(
            (raw for name, raw in present.items() if name.lower() == wanted.lower()), None
        )
        if match is not None:
            mapping[column] = match
        elif column in REQUIRED:
            raise ImportRefused(
                f'The file has no "{wanted}" column for {column}; '
                f"its columns are: {', '.join(present) or 'none'}."
            )
    return mapping


def _parse_quantity(text: str) -> int:
    value = Decimal(text.strip() or "1")
    if not value.is_finite() or value <= 0 or value > MAX_QUANTITY:
        raise ValueError(f"quantity must be above 0 and at most {MAX_QUANTITY}")
    milli = value * 1000
    if milli != milli.to_integral_value():
        raise ValueError("quantity has more than three decimals")
    return int(milli)


def _parse_price(text: str) -> int | None:
    if not text.strip():
        return None
    value = Decimal(text.strip().replace(",", ""))
    if not value.is_finite() or value < 0 or value > MAX_UNIT_PRICE:
        raise ValueError(f"unit_price must be between 0 and {MAX_UNIT_PRICE}")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError("unit_price has more than two decimals")
    return int(cents)


def _parse_time(text: str) -> time:
    text = text.strip()
    if not text:
        return time(12, 0)
    if not TIME_PATTERN.fullmatch(text):
        raise ValueError(f'time "{text[:20]}" is not HH:MM or HH:MM:SS')
    return time.fromisoformat(text.zfill(len(text) + (1 if text.index(":") == 1 else 0)))


def read_receipts(
    rows: Iterable[Mapping[str, str | None]], mapping: Mapping[str, str], report: ImportReport
) -> list[_Receipt]:
    """Check every row; group the good ones by receipt. Errors go to ``report``."""
    receipts: dict[str, _Receipt] = {}
    for index, row in enumerate(rows):
        line_no = index + 2  # the header is line 1
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.errors.append((line_no, f"more than {MAX_ROWS} rows: split the file"))
            break

        def value(column: str, row: Mapping[str, str | None] = row) -> str:
            header = mapping.get(column)
            return (row.get(header) or "") if header else ""

        product = value("product").strip()
        if product.lower() in EMPTY_LINE_NAMES:
            report.empty_lines += 1
            continue
        try:
            day = date.fromisoformat(value("date").strip())
            moment = _parse_time(value("time"))
            number = value("receipt").strip()
            if not number:
                raise ValueError("receipt is empty")
            if len(number) > MAX_RECEIPT:
                raise ValueError(f"receipt is longer than {MAX_RECEIPT} characters")
            if len(product) > 200:
                raise ValueError("product name is longer than 200 characters")
            qty_milli = _parse_quantity(value("quantity"))
            price = _parse_price(value("unit_price"))
        except (ValueError, InvalidOperation) as error:
            reason = str(error) or "not a number"
            if isinstance(error, InvalidOperation):
                reason = "quantity or unit_price is not a number"
            report.errors.append((line_no, reason))
            continue
        receipt = receipts.get(number)
        if receipt is None:
            receipt = receipts[number] = _Receipt(number, day, moment, line_no)
        elif receipt.day != day:
            report.errors.append(
                (line_no, f"receipt {number} is dated {receipt.day} on line {receipt.first_row}")
            )
            continue
        receipt.lines.append(_Line(product, qty_milli, price))
        receipt.digest.update(f"{product}|{qty_milli}|{price}\n".encode())
    return list(receipts.values())


def _owner_of(organisation: Organisation) -> User:
    owner = (
        User.objects.filter(organisation=organisation, role=Role.OWNER, is_active=True)
        .order_by("id")
        .first()
    )
    if owner is None:
        raise ImportRefused("The organisation has no owner to record imported sales under.")
    return owner


def _products_by_name(
    organisation: Organisation, receipts: list[_Receipt], report: ImportReport
) -> dict[str, Product]:
    wanted: dict[str, tuple[str, int | None]] = {}
    for receipt in receipts:
        for line in receipt.lines:
            wanted.setdefault(line.product.lower(), (line.product, line.unit_price_cents))
    known: dict[str, Product] = {}
    for product in Product.objects.filter(organisation=organisation).select_related("tax_class"):
        known.setdefault(product.name.lower(), product)
    missing = [key for key in wanted if key not in known]
    if missing:
        tax_class = TaxClass.objects.get(organisation=organisation, code=TaxCode.STANDARD)
        for key in missing:
            name, price = wanted[key]
            known[key] = Product.objects.create(
                organisation=organisation,
                name=name,
                price_cents=price or 0,
                tax_class=tax_class,
            )
            report.products_created.append(name)
    return known


def _sale_rows(
    *,
    receipt: _Receipt,
    organisation: Organisation,
    store: Store,
    cashier: User,
    products: Mapping[str, Product],
    zone: ZoneInfo,
) -> tuple[Sale, list[SaleLine]]:
    lines: list[SaleLine] = []
    nets: dict[int, list[int]] = defaultdict(list)
    for number, line in enumerate(receipt.lines, start=1):
        product = products[line.product.lower()]
        price = line.unit_price_cents if line.unit_price_cents is not None else product.price_cents
        whole = line.qty_milli % 1000 == 0
        total = (line.qty_milli * price + 500) // 1000
        nets[product.tax_class_id].append(total)
        lines.append(
            SaleLine(
                uuid=uuid7(),
                line_no=number,
                product=product,
                barcode=product.barcode,
                name=product.name,
                qty=line.qty_milli // 1000 if whole else None,
                qty_milli=None if whole else line.qty_milli,
                unit_price_cents=price,
                discount_cents=0,
                tax_cents=0,
                total_cents=total,
                catalog_price_cents=product.price_cents,
            )
        )
    tax_classes = {p.tax_class_id: p.tax_class for p in products.values()}
    added_tax = 0
    for class_id, band in nets.items():
        tax_class = tax_classes[class_id]
        shares = iter(
            band_line_taxes(
                band,
                rate_bp=tax_class.rate_basis_points,
                inclusive=tax_class.prices_include_tax,
            )
        )
        for sale_line in lines:
            if sale_line.product.tax_class_id == class_id:
                sale_line.tax_cents = next(shares)
                if not tax_class.prices_include_tax:
                    added_tax += sale_line.tax_cents
    subtotal = sum(sale_line.total_cents for sale_line in lines)
    tax = sum(sale_line.tax_cents for sale_line in lines)
    sale = Sale(
        uuid=uuid7(),
        organisation=organisation,
        store=store,
        cashier=cashier,
        recorded_by=cashier,
        receipt_no=RECEIPT_PREFIX + receipt.number,
        completed_at=datetime.combine(receipt.day, receipt.moment, tzinfo=zone),
        business_date=receipt.day,
        currency=organisation.currency,
        subtotal_cents=subtotal,
        discount_cents=0,
        tax_cents=tax,
        total_cents=subtotal + added_tax,
        change_cents=0,
        items_count=sum(line.qty if line.qty is not None else 1 for line in lines),
        payload_sha256=receipt.digest.hexdigest(),
        imported_history=True,
    )
    return sale, lines


def sales_history_import(
    *,
    organisation: Organisation,
    store: Store,
    rows: Iterable[Mapping[str, str | None]],
    mapping: Mapping[str, str],
) -> ImportReport:
    """Check all rows, then write every new receipt in one transaction (or nothing)."""
    report = ImportReport()
    receipts = read_receipts(rows, mapping, report)
    if report.errors:
        return report
    cashier = _owner_of(organisation)
    zone = ZoneInfo(organisation.time_zone)
    with transaction.atomic():
        existing = set(
            Sale.objects.filter(store=store, receipt_no__startswith=RECEIPT_PREFIX).values_list(
                "receipt_no", flat=True
            )
        )
        fresh = [r for r in receipts if RECEIPT_PREFIX + r.number not in existing]
        report.sales_already_imported = len(receipts) - len(fresh)
        products = _products_by_name(organisation, fresh, report)
        for start in range(0, len(fresh), BATCH):
            batch = [
                _sale_rows(
                    receipt=receipt,
                    organisation=organisation,
                    store=store,
                    cashier=cashier,
                    products=products,
                    zone=zone,
                )
                for receipt in fresh[start : start + BATCH]
            ]
            Sale.objects.bulk_create([sale for sale, _ in batch])
            ids = dict(
                Sale.objects.filter(uuid__in=[sale.uuid for sale, _ in batch]).values_list(
                    "uuid", "id"
                )
            )
            lines = []
            for sale, sale_lines in batch:
                for line in sale_lines:
                    line.sale_id = ids[sale.uuid]
                    lines.append(line)
            SaleLine.objects.bulk_create(lines, batch_size=BATCH)
            report.sales_created += len(batch)
            report.lines_created += len(lines)
        if report.sales_created:
            insights_refresh_soon(store.pk)
    return report


def sales_history_import_csv(
    *,
    organisation: Organisation,
    store: Store,
    path: str,
    renames: Mapping[str, str],
) -> ImportReport:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        mapping = header_mapping(reader.fieldnames or [], renames)
        return sales_history_import(
            organisation=organisation, store=store, rows=reader, mapping=mapping
        )
