"""Versioned cache of hot read pages.

Each organisation has a catalog version number; cached pages are keyed by it, so a write only
has to bump the number and every old page becomes unreachable (and expires on its own).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction


def _version_key(namespace: str, organisation_id: int) -> str:
    return f"{namespace}:v:{organisation_id}"


def namespace_version(namespace: str, organisation_id: int) -> int:
    version = cache.get(_version_key(namespace, organisation_id))
    if version is None:
        cache.add(_version_key(namespace, organisation_id), 1, timeout=None)
        version = cache.get(_version_key(namespace, organisation_id)) or 1
    return int(version)


def namespace_bump(namespace: str, organisation_id: int) -> None:
    """Invalidate now and again after commit.

    The second bump matters: a reader that raced the open transaction may have cached the old
    rows under the version bumped first.
    """

    def bump() -> None:
        key = _version_key(namespace, organisation_id)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 2, timeout=None)

    bump()
    transaction.on_commit(bump)


def cached_page(
    *, namespace: str, organisation_id: int, name: str, query: str, build: Callable[[], Any]
) -> Any:
    version = namespace_version(namespace, organisation_id)
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    key = f"{namespace}:{organisation_id}:{version}:{name}:{digest}"
    data = cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, timeout=settings.CATALOG_CACHE_SECONDS)
    return data
