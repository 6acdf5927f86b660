from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cloud_api.core"
    label = "core"

    def ready(self) -> None:
        from cloud_api.core import schema  # noqa: F401  (registers the OpenAPI auth extension)
