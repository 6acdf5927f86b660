"""Background jobs of the analytics app (``celery -A cloud_api worker``; nightly by beat)."""

from __future__ import annotations

from cloud_api.analytics.basket_tasks import compute_basket_rules

__all__ = ["compute_basket_rules"]
