"""Association rules ("frequently bought together") per store, as the nightly job left them."""

from __future__ import annotations

from django.db import models

from cloud_api.accounts.models import Organisation, Store
from cloud_api.catalog.models import Product


class BasketRule(models.Model):
    """``antecedent -> consequent``: of the baskets with the antecedent, ``confidence`` also
    held the consequent; ``lift`` says how much likelier that is than for any basket."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    antecedent = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    consequent = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    baskets = models.PositiveIntegerField(help_text="Baskets (sales) the rule was mined from.")
    pair_count = models.PositiveIntegerField(help_text="Baskets holding both products.")
    antecedent_count = models.PositiveIntegerField()
    consequent_count = models.PositiveIntegerField()
    support = models.FloatField()
    confidence = models.FloatField()
    lift = models.FloatField()
    window_from = models.DateField()
    window_to = models.DateField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "antecedent", "consequent"], name="basket_rule_once_per_store"
            )
        ]
        indexes = [
            models.Index(fields=["store", "antecedent", "lift"], name="basket_rule_hint"),
            models.Index(fields=["organisation", "store", "lift"], name="basket_rule_list"),
        ]
