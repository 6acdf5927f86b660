"""Seed "Suppliers" (SupplierID, Name, Contact, Address) and "Purchases" (PurchaseID,
SupplierID, ProductID, Quantity, CostPrice, Timestamp) as an order with lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cloud_api.accounts.models import Organisation, Store
from cloud_api.catalog.models import Product
from cloud_api.core.models import UUIDModel


class Supplier(UUIDModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=150)
    contact = models.CharField(max_length=150, blank=True, default="")
    phone = models.CharField(max_length=32, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    address = models.CharField(max_length=255, blank=True, default="")
    # Days from placing an order to the goods on the shelf: reorder suggestions cover them.
    lead_time_days = models.PositiveSmallIntegerField(default=7)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="supplier_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class OrderStatus(models.TextChoices):
    # A suggestion put into an order that a manager or owner has not confirmed yet.
    DRAFT = "draft", "Draft"
    ORDERED = "ordered", "Ordered"
    PARTIALLY_RECEIVED = "partially_received", "Partially received"
    RECEIVED = "received", "Received"
    CANCELLED = "cancelled", "Cancelled"


class PurchaseOrder(UUIDModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="purchase_orders")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="orders")
    reference = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.ORDERED
    )
    notes = models.CharField(max_length=500, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["store", "status"], name="po_store_status")]


class PurchaseOrderLine(models.Model):
    uuid = models.UUIDField(unique=True)
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    # Thousandths of the product's unit, as in inventory (12 items = 12000).
    quantity_milli = models.BigIntegerField()
    received_milli = models.BigIntegerField(default=0)
    cost_price_cents = models.BigIntegerField(help_text="Per unit (or per kg/litre).")

    class Meta:
        ordering = ["id"]

    @property
    def outstanding_milli(self) -> int:
        return self.quantity_milli - self.received_milli
