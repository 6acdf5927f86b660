from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "cloud_api.catalog"
    label = "catalog"
