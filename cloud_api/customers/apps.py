from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "cloud_api.customers"
    label = "customers"
