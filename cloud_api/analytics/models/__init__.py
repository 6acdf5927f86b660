"""Analytics models, one module per feature."""

from cloud_api.analytics.models.basket import BasketRule
from cloud_api.analytics.models.forecast import DemandForecastDay
from cloud_api.analytics.models.insights import StoredInsights

__all__ = ["BasketRule", "DemandForecastDay", "StoredInsights"]
