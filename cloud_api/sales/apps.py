from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "cloud_api.sales"
    label = "sales"
