from django.apps import AppConfig


class PurchasesConfig(AppConfig):
    name = "cloud_api.purchases"
    label = "purchases"
