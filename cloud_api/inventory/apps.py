from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "cloud_api.inventory"
    label = "inventory"
