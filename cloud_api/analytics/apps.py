from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "cloud_api.analytics"
    label = "analytics"
