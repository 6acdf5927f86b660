"""Catalog writes. Every write bumps the organisation's catalog cache version."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.db import transaction

from cloud_api.accounts.models import Organisation, User
from cloud_api.catalog.barcodes import barcode_problem, sku_problem
from cloud_api.catalog.models import Category, PriceHistory, Product, SoldBy, TaxClass, TaxCode
from cloud_api.core.cache import namespace_bump
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.sync.models import ChangeOp
from cloud_api.sync.services import changes_record

CATALOG = "catalog"
DEFAULT_TAX_CLASSES = [
    (TaxCode.STANDARD, "VAT 16%", 1600),
    (TaxCode.ZERO, "Zero-rated", 0),
    (TaxCode.EXEMPT, "Exempt", 0),
]


@transaction.atomic
def tax_classes_ensure_defaults(*, organisation: Organisation) -> None:
    created = []
    for code, name, rate in DEFAULT_TAX_CLASSES:
        tax_class, new = TaxClass.objects.get_or_create(
            organisation=organisation,
            code=code,
            defaults={"name": name, "rate_basis_points": rate, "prices_include_tax": True},
        )
        if new:
            created.append(tax_class.uuid)
    changes_record(organisation_id=organisation.pk, entity="tax_class", entity_ids=created)


def _check_category_name(*, organisation_id: int, name: str, exclude_pk: int | None) -> None:
    clash = Category.objects.filter(organisation_id=organisation_id, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ConflictError("A category with this name exists.", fields={"name": ["Already used."]})


@transaction.atomic
def category_create(*, organisation: Organisation, name: str) -> Category:
    _check_category_name(organisation_id=organisation.pk, name=name, exclude_pk=None)
    category = Category.objects.create(organisation=organisation, name=name)
    changes_record(organisation_id=organisation.pk, entity="category", entity_ids=[category.uuid])
    namespace_bump(CATALOG, organisation.pk)
    return category


@transaction.atomic
def category_update(*, category: Category, name: str) -> Category:
    _check_category_name(
        organisation_id=category.organisation_id, name=name, exclude_pk=category.pk
    )
    category.name = name
    category.save()
    changes_record(
        organisation_id=category.organisation_id, entity="category", entity_ids=[category.uuid]
    )
    namespace_bump(CATALOG, category.organisation_id)
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    """Products keep existing, uncategorised."""
    organisation_id = category.organisation_id
    uuid = category.uuid
    affected = list(category.products.values_list("uuid", flat=True))
    category.delete()
    changes_record(
        organisation_id=organisation_id, entity="category", entity_ids=[uuid], op=ChangeOp.DELETE
    )
    changes_record(organisation_id=organisation_id, entity="product", entity_ids=affected)
    namespace_bump(CATALOG, organisation_id)


def _check_barcode(*, organisation_id: int, barcode: str | None, exclude_pk: int | None) -> None:
    _check_code("barcode", "barcode", barcode_problem, organisation_id, barcode, exclude_pk)


def _check_sku(*, organisation_id: int, sku: str | None, exclude_pk: int | None) -> None:
    _check_code("sku", "SKU", sku_problem, organisation_id, sku, exclude_pk)


def _check_code(
    field: str,
    label: str,
    problem_of: Callable[[str], str | None],
    organisation_id: int,
    code: str | None,
    exclude_pk: int | None,
) -> None:
    """A barcode or SKU: well formed (400) and not another product's in the organisation (409)."""
    if code is None:
        return
    problem = problem_of(code)
    if problem:
        raise ApplicationError(problem, fields={field: [problem]})
    clash = Product.objects.filter(organisation_id=organisation_id, **{field: code})
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ConflictError(
            f"Another product already has {label} {code}.",
            fields={field: ["Already used in this organisation."]},
        )


@transaction.atomic
def product_create(
    *,
    organisation: Organisation,
    name: str,
    price_cents: int,
    tax_class: TaxClass,
    barcode: str | None = None,
    sku: str | None = None,
    category: Category | None = None,
    sold_by: str = SoldBy.UNIT,
    cost_price_cents: int | None = None,
    created_by: User | None = None,
) -> Product:
    barcode = barcode or None
    sku = sku or None
    _check_barcode(organisation_id=organisation.pk, barcode=barcode, exclude_pk=None)
    _check_sku(organisation_id=organisation.pk, sku=sku, exclude_pk=None)
    product = Product.objects.create(
        organisation=organisation,
        name=name,
        barcode=barcode,
        sku=sku,
        price_cents=price_cents,
        tax_class=tax_class,
        category=category,
        sold_by=sold_by,
        cost_price_cents=cost_price_cents,
    )
    PriceHistory.objects.create(product=product, price_cents=price_cents, changed_by=created_by)
    changes_record(organisation_id=organisation.pk, entity="product", entity_ids=[product.uuid])
    namespace_bump(CATALOG, organisation.pk)
    return product


_UNSET = object()


@transaction.atomic
def product_update(
    *,
    product: Product,
    changed_by: User | None = None,
    name: str | None = None,
    price_cents: int | None = None,
    tax_class: TaxClass | None = None,
    barcode: object = _UNSET,
    sku: object = _UNSET,
    category: object = _UNSET,
    sold_by: str | None = None,
    active: bool | None = None,
) -> Product:
    """Change what is given; a new price is written to the price history."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if barcode is not _UNSET:
        new_barcode = cast("str | None", barcode) or None
        _check_barcode(
            organisation_id=product.organisation_id, barcode=new_barcode, exclude_pk=product.pk
        )
        product.barcode = new_barcode
    if sku is not _UNSET:
        new_sku = cast("str | None", sku) or None
        _check_sku(organisation_id=product.organisation_id, sku=new_sku, exclude_pk=product.pk)
        product.sku = new_sku
    if category is not _UNSET:
        product.category = category  # type: ignore[assignment]
    if name is not None:
        product.name = name
    if tax_class is not None:
        product.tax_class = tax_class
    if sold_by is not None:
        product.sold_by = sold_by
    if active is not None:
        product.active = active
    if price_cents is not None and price_cents != product.price_cents:
        product.price_cents = price_cents
        PriceHistory.objects.create(product=product, price_cents=price_cents, changed_by=changed_by)
    product.save()
    changes_record(
        organisation_id=product.organisation_id, entity="product", entity_ids=[product.uuid]
    )
    namespace_bump(CATALOG, product.organisation_id)
    return product


@transaction.atomic(savepoint=False)
def product_cost_record(*, product: Product, cost_price_cents: int) -> None:
    """The latest cost price, as received from a supplier."""
    Product.objects.filter(pk=product.pk).update(cost_price_cents=cost_price_cents)
    namespace_bump(CATALOG, product.organisation_id)
