"""Every use of Django's private model and queryset internals, in one place.

The sale write path builds rows in memory and inserts them in bulk, then answers with them
without reading them back. That needs a few of Django's private attributes (``_state``,
``_result_cache``, ``_prefetch_done``, ``_prefetched_objects_cache``). They are stable in
practice but not promised: ``tests/cloud/test_django_internals.py`` checks each one, so a
Django upgrade that changes them fails there, loudly, instead of somewhere in a push.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models


def cache_related(obj: models.Model, **related: models.Model | None) -> None:
    """Remember related objects whose ids are already set on ``obj`` (as assigning them through
    the foreign key would), so reading them back costs no query."""
    cache = obj._state.fields_cache
    for name, value in related.items():
        cache[name] = value


def remember_children(obj: models.Model, **children: Iterable[Any]) -> None:
    """Fill ``obj``'s reverse related managers with rows just written (as prefetch_related
    does), so answering with ``obj`` does not read them all back."""
    cache = {}
    for name, rows in children.items():
        queryset = getattr(obj, name).all()
        queryset._result_cache = list(rows)
        queryset._prefetch_done = True
        cache[name] = queryset
    obj._prefetched_objects_cache = cache  # type: ignore[attr-defined]


def mark_saved(obj: models.Model) -> None:
    """Tell Django a row inserted behind its back (a bulk INSERT) is in the database now."""
    obj._state.adding = False


def mark_unsaved(obj: models.Model) -> None:
    """Forget the primary key of a row whose insert was rolled back: it is new again."""
    obj.pk = None
    obj._state.adding = True
