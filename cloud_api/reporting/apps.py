from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cloud_api.reporting"
    label = "reporting"
