"""The nightly jobs' fan-out: one job per active store, so a slow or failing store holds up
no other and the worker pool spreads them."""

from __future__ import annotations

from typing import Protocol

from cloud_api.accounts.models import Store


class StoreTask(Protocol):
    def delay(self, store_pk: int, /) -> object: ...


def per_active_store(task: StoreTask) -> int:
    """Queue ``task(store_pk)`` for every active store; how many were queued."""
    stores = list(Store.objects.filter(active=True).values_list("pk", flat=True))
    for pk in stores:
        task.delay(pk)
    return len(stores)
