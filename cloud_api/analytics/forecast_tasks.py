"""Celery jobs that compute and cache demand forecasts (nightly, and on request)."""

from __future__ import annotations

import structlog
from celery import shared_task

from cloud_api.accounts.models import Store
from cloud_api.analytics.forecast_run import store_forecasts_refresh
from cloud_api.analytics.store_jobs import per_active_store

log = structlog.get_logger(__name__)


@shared_task(ignore_result=True, acks_late=True)
def refresh_store_forecast(store_pk: int) -> int:
    """Recompute one store's forecasts; safe to run twice (it replaces the store's rows)."""
    store = Store.objects.select_related("organisation").filter(pk=store_pk).first()
    if store is None:
        return 0
    products = store_forecasts_refresh(store=store)
    log.info("forecast_refreshed", store=store.code, products=products)
    return products


@shared_task(ignore_result=True)
def refresh_all_forecasts() -> int:
    """Queue one job per active store (the nightly beat entry)."""
    return per_active_store(refresh_store_forecast)
