"""Background jobs of the analytics app (``celery -A cloud_api worker``; nightly by beat).
Celery's autodiscovery imports this module; each feature keeps its jobs in its own module."""

from __future__ import annotations

from cloud_api.analytics.basket_tasks import compute_basket_rules
from cloud_api.analytics.forecast_tasks import refresh_all_forecasts, refresh_store_forecast
from cloud_api.analytics.insights_tasks import refresh_all_insights, refresh_store_insights

__all__ = [
    "compute_basket_rules",
    "refresh_all_forecasts",
    "refresh_all_insights",
    "refresh_store_forecast",
    "refresh_store_insights",
]
