from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cloud_api.accounts"
    label = "accounts"
