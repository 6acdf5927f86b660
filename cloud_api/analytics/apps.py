from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "cloud_api.analytics"
    label = "analytics"

    def ready(self) -> None:
        # Registers the forecast jobs with Celery (autodiscovery looks only for tasks.py).
        from cloud_api.analytics import forecast_tasks  # noqa: F401
