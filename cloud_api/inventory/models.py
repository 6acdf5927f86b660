"""Stock is a sum of movements (deltas); the level row is their running total per store.

Quantities are thousandths of the product's unit (``*_milli``): 1 item = 1000, 1.25 kg = 1250,
so goods sold by count and by weight share one column and one rule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cloud_api.accounts.models import Store
from cloud_api.catalog.models import Product
from cloud_api.core.models import UUIDModel


class StockLevel(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="stock_levels")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="stock_levels")
    on_hand_milli = models.BigIntegerField(default=0)
    low_stock_threshold_milli = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "product"], name="one_level_per_store_product")
        ]

    @property
    def is_low(self) -> bool:
        threshold = self.low_stock_threshold_milli
        return threshold is not None and self.on_hand_milli <= threshold


class MovementReason(models.TextChoices):
    SALE = "sale", "Sale"
    SALE_VOID = "sale_void", "Sale voided"
    REFUND = "refund", "Refund"
    PURCHASE_RECEIPT = "purchase_receipt", "Goods received"
    ADJUSTMENT = "adjustment", "Adjustment (count, damage, loss)"


class StockMovement(UUIDModel):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="stock_movements")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="stock_movements")
    delta_milli = models.BigIntegerField()
    reason = models.CharField(max_length=20, choices=MovementReason.choices)
    # The UUID of whatever caused the movement (sale, refund, purchase order).
    reference = models.UUIDField(null=True, blank=True, db_index=True)
    note = models.CharField(max_length=255, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["store", "product", "created_at"], name="movement_lookup")]
