"""Celery jobs that work out and store each store's insights and anomaly flags: nightly for
every store (beat), and once a few minutes after new sales, voids or refunds reach a store
(a till's push, the sales API, a history import), however many arrive in those minutes."""

from __future__ import annotations

import structlog
from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from cloud_api.accounts.models import Store
from cloud_api.analytics.insight_store import stored_insights_refresh
from cloud_api.analytics.store_jobs import per_active_store

log = structlog.get_logger(__name__)


def _due_key(store_pk: int) -> str:
    return f"analytics:insights:due:{store_pk}"


@shared_task(ignore_result=True, acks_late=True)
def refresh_store_insights(store_pk: int) -> int:
    """Work out one store's insights and flags again; safe to run twice (it replaces the row).
    Returns how many insights were kept."""
    # Cleared first: sales pushed while this runs queue the next refresh.
    cache.delete(_due_key(store_pk))
    store = Store.objects.select_related("organisation").filter(pk=store_pk).first()
    if store is None:
        return 0
    row = stored_insights_refresh(store=store)
    log.info("insights_refreshed", store=store.code, insights=len(row.insights))
    return len(row.insights)


@shared_task(ignore_result=True)
def refresh_all_insights() -> int:
    """Queue one job per active store (the nightly beat entry)."""
    return per_active_store(refresh_store_insights)


def insights_refresh_soon(store_pk: int) -> None:
    """After sales, a void or a refund were recorded: once the transaction commits, queue the
    store's refresh in ``ASIRIA_INSIGHTS_DELAY_SECONDS`` unless one is already waiting.
    Without a worker (eager tasks) nothing is queued: the request would wait seconds for
    figures the nightly run and the dashboard's own first look give."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: insights_refresh_queue(store_pk))


def insights_refresh_queue(store_pk: int) -> bool:
    """Queue one delayed refresh of the store unless one is waiting (one Redis key per store,
    cleared when the refresh starts). Returns whether this call queued it."""
    delay = settings.ASIRIA_INSIGHTS_DELAY_SECONDS
    if not cache.add(_due_key(store_pk), 1, timeout=delay + 3600):
        return False
    refresh_store_insights.apply_async((store_pk,), countdown=delay)
    return True
