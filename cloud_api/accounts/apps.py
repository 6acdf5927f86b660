from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cloud_api.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib import admin

        from cloud_api.accounts import signals  # noqa: F401  (connects the receivers)
        from cloud_api.accounts.admin_login import GuardedAdminAuthenticationForm
        from cloud_api.accounts.passkeys import config  # noqa: F401  (registers its system check)

        admin.site.login_form = GuardedAdminAuthenticationForm
