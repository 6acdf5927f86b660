"""A store's plain-language insights and anomaly flags as the last run left them, so the
dashboard reads them instead of working them out from weeks of sale lines on each request."""

from __future__ import annotations

from django.db import models

from cloud_api.accounts.models import Organisation, Store


class StoredInsights(models.Model):
    """One row per store: the insights of the four weeks to ``date_to`` and the anomaly flags
    of the ``flag_days`` to ``date_to``, each list as the analytics dataclasses' fields."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="+")
    date_to = models.DateField(help_text="The store's local day the figures run to.")
    flag_days = models.PositiveSmallIntegerField()
    insights = models.JSONField(default=list)
    flags = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "store"], name="stored_insights_org")]
