from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cloud_api.accounts"
    label = "accounts"

    def ready(self) -> None:
        from cloud_api.accounts.passkeys import config  # noqa: F401  (registers its system check)
