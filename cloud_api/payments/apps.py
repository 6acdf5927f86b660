from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "cloud_api.payments"
    label = "payments"
