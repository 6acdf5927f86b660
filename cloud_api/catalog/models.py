"""Catalog: org-wide products (stock per store lives in inventory), categories, tax, prices."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cloud_api.accounts.models import Organisation
from cloud_api.core.models import UUIDModel


class TaxCode(models.TextChoices):
    STANDARD = "standard", "Standard (VAT 16%)"
    ZERO = "zero", "Zero-rated"
    EXEMPT = "exempt", "Exempt"


class TaxClass(UUIDModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="tax_classes"
    )
    code = models.CharField(max_length=16, choices=TaxCode.choices)
    name = models.CharField(max_length=60)
    rate_basis_points = models.PositiveIntegerField(help_text="1600 = 16%")
    prices_include_tax = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="tax_code_per_org"),
        ]
        verbose_name_plural = "tax classes"

    def __str__(self) -> str:
        return self.code


class Category(UUIDModel):
    """Seed "Categories": CategoryID -> uuid, CategoryName -> name."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="categories"
    )
    name = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="category_name_per_org"),
        ]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class SoldBy(models.TextChoices):
    UNIT = "unit", "By count"
    WEIGHT = "weight", "By weight or volume"


class Product(UUIDModel):
    """Seed "Products": ProductID, Name, Price, Barcode, CategoryID.

    The seed's Stock lives per store in inventory.StockLevel.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(max_length=200)
    # NULL when the product has no barcode: unique indexes let many NULLs through.
    barcode = models.CharField(max_length=64, null=True, blank=True)
    # The shop's own item code; for weighed goods the scale's PLU, which the till finds in a
    # price-embedded scale barcode. NULL when unset, like the barcode.
    sku = models.CharField(max_length=64, null=True, blank=True, verbose_name="SKU / PLU")
    price_cents = models.BigIntegerField()
    cost_price_cents = models.BigIntegerField(null=True, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    tax_class = models.ForeignKey(TaxClass, on_delete=models.PROTECT, related_name="products")
    sold_by = models.CharField(max_length=8, choices=SoldBy.choices, default=SoldBy.UNIT)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "barcode"], name="product_barcode_per_org"
            ),
            models.UniqueConstraint(fields=["organisation", "sku"], name="product_sku_per_org"),
            models.CheckConstraint(
                condition=models.Q(price_cents__gte=0), name="product_price_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "name"], name="product_org_name")]

    def __str__(self) -> str:
        return self.name


class PriceHistory(UUIDModel):
    """Every price a product has had, and who set it."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="price_history")
    price_cents = models.BigIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "price history"
