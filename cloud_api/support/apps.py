from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "cloud_api.support"
    label = "support"
    verbose_name = "Support"
