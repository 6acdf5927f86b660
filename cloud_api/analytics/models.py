"""The analytics app's models, each kind in its own module (imported here so Django sees them)."""

from cloud_api.analytics.basket_models import BasketRule

__all__ = ["BasketRule"]
