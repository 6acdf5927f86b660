"""Catalog use cases: scan lookup (scale labels included), search, categories, quick-add."""

from __future__ import annotations

from asiria_desktop.domain.barcodes import normalise_barcode, parse_code
from asiria_desktop.domain.cart import ProductRef
from asiria_desktop.domain.errors import DomainError, InvalidAmount, InvalidBarcode
from asiria_desktop.domain.money import MAX_CENTS
from asiria_desktop.domain.permissions import Action
from asiria_desktop.domain.tax import TaxClass
from asiria_desktop.ports.records import ProductRecord
from asiria_desktop.services.context import TillContext, storage_errors
from asiria_desktop.services.formatting import money_text
from asiria_desktop.services.results import Approval, CategoryView, ProductView, ScanLookup
from asiria_desktop.services.signin.approvals import authorize


class ProductNotFound(DomainError):
    pass


def not_found_message(code: str) -> str:
    return f"Barcode {code.strip()} not found. Search by name?"


class CatalogService:
    def __init__(self, ctx: TillContext) -> None:
        self._ctx = ctx

    def lookup(self, raw_code: str) -> ScanLookup:
        """What a scan means: the product, plus the weight or price a scale label carries."""
        return self.lookup_record(raw_code)[0]

    def lookup_record(self, raw_code: str) -> tuple[ScanLookup, ProductRecord | None]:
        """``lookup`` plus the active product's record it found (``None`` if not found), so
        a scan adds the line without reading the product a second time."""
        try:
            parsed = parse_code(raw_code, self._ctx.settings.barcode_layout)
        except InvalidBarcode as exc:
            return ScanLookup(False, None, None, None, None, exc.message), None
        with self._ctx.uow(read_only=True) as uow:
            record = uow.products.by_lookup_code(parsed.lookup_code)
            if record is None and parsed.lookup_code != parsed.raw:
                record = uow.products.by_lookup_code(parsed.raw)
        if record is None:
            return ScanLookup(False, None, None, None, None, not_found_message(parsed.raw)), None
        view = self.view(record)
        if parsed.embedded_qty_milli is not None:
            return ScanLookup(True, view, None, parsed.embedded_qty_milli, None, ""), record
        if parsed.embedded_price_cents is not None:
            # A scale's price label: the line charges the printed price; the cart works out the
            # weight from the price per kg.
            return ScanLookup(True, view, 1, None, parsed.embedded_price_cents, ""), record
        if record.sold_by_weight:
            message = f"{record.name} is sold by weight. Enter the weight."
            return ScanLookup(True, view, None, None, None, message), record
        return ScanLookup(True, view, 1, None, None, ""), record

    def search(self, text: str, limit: int = 20) -> list[ProductView]:
        if not text.strip():
            return []
        with self._ctx.uow(read_only=True) as uow:
            records = uow.products.search(text, limit)
        return [self.view(r) for r in records]

    def get(self, product_id: str) -> ProductView:
        return self.view(self.record(product_id))

    def categories(self) -> list[CategoryView]:
        with self._ctx.uow(read_only=True) as uow:
            return [CategoryView(c.id, c.name) for c in uow.products.categories()]

    def in_category(self, category_id: str, limit: int = 200) -> list[ProductView]:
        with self._ctx.uow(read_only=True) as uow:
            records = uow.products.in_category(category_id, limit)
        return [self.view(r) for r in records]

    def quick_add(
        self,
        name: str,
        barcode: str | None,
        price_cents: int,
        tax_class: str = "standard",
        approval: Approval | None = None,
        *,
        sold_by_weight: bool = False,
        category_id: str | None = None,
    ) -> ProductView:
        """Add an unknown product at the counter (manager-approved, recorded in the audit log)."""
        approver = authorize(self._ctx, Action.QUICK_ADD_PRODUCT, approval)
        cashier = self._ctx.require_cashier()
        name = " ".join(name.split())
        if not name:
            raise DomainError("Enter the product's name.")
        if not 0 < price_cents <= MAX_CENTS:
            raise InvalidAmount("Enter a price more than zero.")
        try:
            tax = TaxClass(tax_class)
        except ValueError:
            raise DomainError(f'"{tax_class}" is not a tax class.') from None
        code = None
        if barcode and barcode.strip():
            code = normalise_barcode(barcode, self._ctx.settings.barcode_layout)
        record = ProductRecord(
            id=self._ctx.ids(),
            name=name[:200],
            price_cents=price_cents,
            tax_class=str(tax),
            barcode=code,
            sold_by_weight=sold_by_weight,
            category_id=category_id,
        )
        with storage_errors("The product was not added"), self._ctx.uow() as uow:
            if code is not None and uow.products.by_lookup_code(code) is not None:
                raise DomainError(f"Barcode {code} is already in the catalog.")
            uow.products.add(record)
            uow.audit.record(
                str(Action.QUICK_ADD_PRODUCT),
                cashier.user_id,
                approver,
                {"product_id": record.id, "name": record.name, "price_cents": price_cents},
                self._ctx.clock.now(),
            )
            uow.commit()
        return self.view(record)

    # ---------------------------------------------------------------------------------------

    def record(self, product_id: str) -> ProductRecord:
        with self._ctx.uow(read_only=True) as uow:
            record = uow.products.get(product_id)
        if record is None or not record.active:
            raise ProductNotFound("That product is no longer in the catalog.")
        return record

    def view(self, record: ProductRecord) -> ProductView:
        return ProductView(
            id=record.id,
            name=record.name,
            barcode=record.barcode,
            sku=record.sku,
            price_cents=record.price_cents,
            price_text=money_text(record.price_cents, self._ctx.settings.currency),
            tax_class=record.tax_class,
            sold_by_weight=record.sold_by_weight,
            category_id=record.category_id,
        )


def product_ref(record: ProductRecord) -> ProductRef:
    return ProductRef(
        id=record.id,
        name=record.name,
        barcode=record.barcode,
        price_cents=record.price_cents,
        tax_class=TaxClass(record.tax_class),
        sold_by_weight=record.sold_by_weight,
        category_id=record.category_id,
    )
