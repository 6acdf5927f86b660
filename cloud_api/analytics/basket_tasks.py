"""The association-rule mining job: nightly for every selling store, or one store on request."""

from __future__ import annotations

from celery import shared_task

from cloud_api.accounts.models import Store
from cloud_api.analytics.basket_services import basket_rules_compute, basket_rules_compute_all


@shared_task(name="cloud_api.analytics.tasks.compute_basket_rules", ignore_result=True)
def compute_basket_rules(store_id: int | None = None) -> list[dict[str, int]]:
    """Mine one store (``store_id``) or, without one, every store that sold in the window."""
    if store_id is None:
        results = basket_rules_compute_all()
    else:
        store = Store.objects.filter(pk=store_id).first()
        results = [] if store is None else [basket_rules_compute(store=store)]
    return [
        {
            "store_id": result.store_id,
            "baskets": result.baskets,
            "rules": result.rules,
            "hints_changed": result.hints_changed,
            "hints_removed": result.hints_removed,
        }
        for result in results
    ]
