from __future__ import annotations

from django.db.models import QuerySet

from cloud_api.catalog.models import Category, PriceHistory, Product, TaxClass
from cloud_api.core.principal import Principal


def tax_class_list(*, principal: Principal) -> QuerySet[TaxClass]:
    return TaxClass.objects.filter(organisation_id=principal.organisation_id).order_by("code")


def category_list(*, principal: Principal) -> QuerySet[Category]:
    return Category.objects.filter(organisation_id=principal.organisation_id).order_by("name")


def product_list(*, principal: Principal) -> QuerySet[Product]:
    return (
        Product.objects.filter(organisation_id=principal.organisation_id)
        .select_related("category", "tax_class")
        .order_by("name", "id")
    )


def price_history_list(*, product: Product) -> QuerySet[PriceHistory]:
    return product.price_history.select_related("changed_by").all()
