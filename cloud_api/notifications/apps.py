from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cloud_api.notifications"
    label = "notifications"
