from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "cloud_api.sync"
    label = "sync"
