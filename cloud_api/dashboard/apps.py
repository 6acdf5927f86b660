from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "cloud_api.dashboard"
    label = "dashboard"
    verbose_name = "Head-office dashboard"
