"""Cached daily demand forecasts per store and product (computed by a Celery job)."""

from __future__ import annotations

from django.db import models

from cloud_api.accounts.models import Organisation, Store
from cloud_api.catalog.models import Product


class DemandForecastDay(models.Model):
    """Units one product is expected to sell in one store on one day, in thousandths.

    ``median_milli`` is the point forecast; ``lower_milli``..``upper_milli`` the 80% prediction
    interval; ``dispersion`` the negative-binomial size the interval and safety stock come from.
    A run replaces all of a store's rows (``computed_at`` tells when).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    mean_milli = models.BigIntegerField()
    median_milli = models.BigIntegerField()
    lower_milli = models.BigIntegerField()
    upper_milli = models.BigIntegerField()
    dispersion = models.FloatField()
    method = models.CharField(max_length=40)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "product", "date"], name="forecast_day_per_store_product"
            )
        ]
        indexes = [models.Index(fields=["store", "date"], name="forecast_store_date")]
