"""Report tables: daily aggregates of completed sales, and export jobs.

The raw tables (sales, lines, payments, refunds) are the truth. The daily aggregates are kept
in the same transaction as the sale rows they sum (``aggregates.py``), so a report over a year
of a hundred stores reads thousands of rows, not millions; ``asiria-cloud reports_rebuild``
recomputes them from the raw tables and ``--check`` says where they differ.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cloud_api.accounts.models import Organisation
from cloud_api.core.models import UUIDModel


class StoreSums(models.Model):
    """The sums of completed sales kept per store, day, till and cashier, and per day over all
    stores."""

    sales_count = models.BigIntegerField(default=0)
    items_count = models.BigIntegerField(default=0)
    subtotal_cents = models.BigIntegerField(default=0)
    discount_cents = models.BigIntegerField(default=0)
    tax_cents = models.BigIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    change_cents = models.BigIntegerField(default=0)
    rounding_cents = models.BigIntegerField(default=0)
    # Sales of this day that were voided later: taken out of the sums above, counted here.
    voided_count = models.BigIntegerField(default=0)
    voided_cents = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class ProductSums(models.Model):
    """The sums of completed sale lines kept per product (cost as snapshotted per line)."""

    lines_count = models.BigIntegerField(default=0)
    qty_milli = models.BigIntegerField(default=0)
    discount_cents = models.BigIntegerField(default=0)
    tax_cents = models.BigIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    cost_cents = models.BigIntegerField(default=0)
    # Sales (with tax) on lines whose product had no cost price: margin leaves them out.
    uncosted_total_cents = models.BigIntegerField(default=0)
    uncosted_tax_cents = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class DailyStoreSales(StoreSums):
    """Completed sales of one store's day, per terminal and cashier."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store_id = models.BigIntegerField()
    business_date = models.DateField()
    # 0 for sales entered through the API (no terminal): part of the unique key, so not NULL.
    terminal_id = models.BigIntegerField(default=0)
    cashier_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store_id", "business_date", "terminal_id", "cashier_id"],
                name="daily_store_sales_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "business_date", "store_id"], name="daily_store_org_day"
            )
        ]


class ChainDailySales(StoreSums):
    """The same sums as ``DailyStoreSales`` over all of an organisation's stores, tills and
    cashiers, per day: an all-store summary of a year reads 365 rows here instead of every
    store's till-and-cashier rows (146,000 at 100 stores)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    business_date = models.DateField()

    class Meta:
        constraints = [
            # Also the reports' index: one organisation's days are one range of it.
            models.UniqueConstraint(
                fields=["organisation", "business_date"], name="chain_daily_sales_key"
            )
        ]


class DailyProductSales(ProductSums):
    """Completed sale lines of one store's day, per product (cost as snapshotted per line)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store_id = models.BigIntegerField()
    business_date = models.DateField()
    product_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store_id", "business_date", "product_id"],
                name="daily_product_sales_key",
            )
        ]
        indexes = [
            # Covering: the partial months of a report are read from this index alone.
            models.Index(
                fields=[
                    "organisation",
                    "business_date",
                    "product_id",
                    "store_id",
                    "total_cents",
                    "qty_milli",
                    "discount_cents",
                    "tax_cents",
                    "cost_cents",
                    "uncosted_total_cents",
                    "uncosted_tax_cents",
                ],
                name="daily_product_org_day",
            )
        ]


# The monthly table's store id for the sums over all of an organisation's stores.
MONTHLY_CHAIN_STORE = 0


class MonthlyProductSales(ProductSums):
    """The same sums as ``DailyProductSales``, per store, calendar month and product, and
    per month and product over all the organisation's stores (``store_id`` 0).

    Kept in the same transaction as the daily rows, with the same signs (a void takes its lines
    away again), so a month here always equals the sum of its days there. A long report reads
    whole months from here (about 400 rows a store-month instead of ~175 a store-day) and only
    the partial months at either end of its range from the daily table.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store_id = models.BigIntegerField()
    month = models.DateField()  # the month's first day
    product_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store_id", "month", "product_id"], name="monthly_product_sales_key"
            )
        ]
        indexes = [
            # Covering, the store before the month: the chain rows (store 0) of one organisation
            # and months are one range; a report reads this index alone, never the rows.
            models.Index(
                fields=[
                    "organisation",
                    "store_id",
                    "month",
                    "product_id",
                    "qty_milli",
                    "discount_cents",
                    "tax_cents",
                    "total_cents",
                    "cost_cents",
                    "uncosted_total_cents",
                    "uncosted_tax_cents",
                ],
                name="monthly_product_org_month",
            )
        ]


class ChainDailyProductSales(ProductSums):
    """The same sums as ``DailyProductSales`` over all of an organisation's stores, per day
    and product: the days at the ends of an all-store report's range are read from here
    (about 200 rows a day whatever the chain's size) rather than from every store's rows."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    business_date = models.DateField()
    product_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "business_date", "product_id"],
                name="chain_daily_product_sales_key",
            )
        ]
        indexes = [
            # Covering: a report reads this index alone, never the rows.
            models.Index(
                fields=[
                    "organisation",
                    "business_date",
                    "product_id",
                    "qty_milli",
                    "discount_cents",
                    "tax_cents",
                    "total_cents",
                    "cost_cents",
                    "uncosted_total_cents",
                    "uncosted_tax_cents",
                ],
                name="chain_daily_product_org_day",
            )
        ]


class DailyPaymentSales(models.Model):
    """Tenders of completed sales of one store's day, per payment method."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store_id = models.BigIntegerField()
    business_date = models.DateField()
    method = models.CharField(max_length=8)
    payments_count = models.BigIntegerField(default=0)
    amount_cents = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store_id", "business_date", "method"], name="daily_payment_sales_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "business_date", "store_id"], name="daily_payment_org_day"
            )
        ]


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"
    PDF = "pdf", "PDF"


class ExportJob(UUIDModel):
    """A report written to a file by a Celery worker; the file is kept in the row."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    report = models.CharField(max_length=32)
    file_format = models.CharField(max_length=4, choices=ExportFormat.choices)
    params = models.JSONField(default=dict)
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress_percent = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=255, blank=True, default="")
    filename = models.CharField(max_length=120, blank=True, default="")
    content = models.BinaryField(null=True, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
