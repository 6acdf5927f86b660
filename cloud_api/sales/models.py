"""Sales as the till recorded them (ARCHITECTURE 6.1 ``sale.completed``), refunds and voids.

Seed "Sales" (SaleID, UserID, ProductID, Quantity, Total, Timestamp) is split into a header
(uuid, cashier, total_cents, completed_at) and one line per product (product, qty, total_cents).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cloud_api.accounts.models import Organisation, Store, Terminal
from cloud_api.catalog.models import Product
from cloud_api.core.models import UUIDModel
from cloud_api.payments.models import PaymentMethod


class SaleStatus(models.TextChoices):
    COMPLETED = "completed", "Completed"
    VOIDED = "voided", "Voided"


class Sale(UUIDModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="sales")
    terminal = models.ForeignKey(
        Terminal, null=True, blank=True, on_delete=models.PROTECT, related_name="sales"
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sales"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account that sent the sale, when it was not a terminal.",
    )
    shift_id = models.UUIDField(null=True, blank=True)
    receipt_no = models.CharField(max_length=40)
    completed_at = models.DateTimeField(help_text="The till's clock: kept, not trusted.")
    # The store-local calendar date of completed_at, fixed at write time for cheap reports.
    business_date = models.DateField()
    currency = models.CharField(max_length=3)
    subtotal_cents = models.BigIntegerField()
    discount_cents = models.BigIntegerField()
    tax_cents = models.BigIntegerField()
    total_cents = models.BigIntegerField()
    change_cents = models.BigIntegerField()
    # Cash rounding kept by the shop (+) or given away (-): payments - change = total + this.
    rounding_cents = models.BigIntegerField(default=0)
    # Units sold (weighed lines count as one item); kept here so reports never scan lines.
    items_count = models.IntegerField()
    refunded_cents = models.BigIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=SaleStatus.choices, default=SaleStatus.COMPLETED
    )
    price_mismatch = models.BooleanField(
        default=False, help_text="A line was charged at a price other than the catalog's."
    )
    tax_mismatch = models.BooleanField(
        default=False,
        help_text="The tax charged is not what the products' tax classes made when the sale "
        "arrived (a class or rate may have changed while the till was offline).",
    )
    payload_sha256 = models.CharField(max_length=64)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    void_reason = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "receipt_no"], name="receipt_no_per_store"),
            models.CheckConstraint(
                condition=models.Q(total_cents__gte=0), name="sale_total_not_negative"
            ),
        ]
        indexes = [
            # Covering index for the daily sales summary: the report reads only this index.
            models.Index(
                fields=[
                    "organisation",
                    "business_date",
                    "store",
                    "status",
                    "total_cents",
                    "tax_cents",
                    "items_count",
                ],
                name="sale_summary_cover",
            ),
            models.Index(fields=["store", "business_date"], name="sale_store_day"),
            models.Index(fields=["organisation", "completed_at"], name="sale_org_time"),
        ]

    def __str__(self) -> str:
        return self.receipt_no


class SaleLine(models.Model):
    uuid = models.UUIDField(unique=True)
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField()
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="sale_lines")
    barcode = models.CharField(max_length=64, null=True, blank=True)
    name = models.CharField(max_length=200)
    qty = models.IntegerField(null=True, blank=True)
    qty_milli = models.BigIntegerField(null=True, blank=True)
    unit_price_cents = models.BigIntegerField()
    discount_cents = models.BigIntegerField()
    tax_cents = models.BigIntegerField()
    total_cents = models.BigIntegerField()
    catalog_price_cents = models.BigIntegerField(
        null=True, blank=True, help_text="The catalog's price when the sale arrived."
    )
    refunded_milli = models.BigIntegerField(default=0)
    # The line's cost when the sale arrived (the product's cost per unit or per kg times the
    # quantity), so gross margin keeps the cost at the time of sale when costs change later.
    cost_cents = models.BigIntegerField(
        null=True, blank=True, help_text="Cost of the goods on this line when the sale arrived."
    )

    class Meta:
        ordering = ["line_no"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(qty__isnull=False, qty_milli__isnull=True)
                    | models.Q(qty__isnull=True, qty_milli__isnull=False)
                ),
                name="line_qty_xor_qty_milli",
            )
        ]

    @property
    def quantity_milli(self) -> int:
        return self.qty * 1000 if self.qty is not None else int(self.qty_milli or 0)


class Refund(UUIDModel):
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="refunds")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    # The number on the till's refund slip (S01-T01-R000001); empty for refunds made here.
    refund_no = models.CharField(max_length=40, blank=True, default="")
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    reason = models.CharField(max_length=255)
    amount_cents = models.BigIntegerField()
    tax_cents = models.BigIntegerField()
    business_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["store", "business_date"], name="refund_store_day")]


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    sale_line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="refund_lines")
    qty_milli = models.BigIntegerField()
    amount_cents = models.BigIntegerField()
    tax_cents = models.BigIntegerField()
