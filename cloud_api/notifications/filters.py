import django_filters

from cloud_api.notifications.models import Notification, NotificationStatus


class NotificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=NotificationStatus.choices)
    kind = django_filters.CharFilter(max_length=32)

    class Meta:
        model = Notification
        fields = ["status", "kind"]
