import django_filters

from cloud_api.sync.models import TillActivity
from cloud_api.sync.validation import EVENT_TYPES


class TillActivityFilter(django_filters.FilterSet):
    """Dates are the store's local calendar dates (the organisation's time zone)."""

    store_id = django_filters.UUIDFilter(field_name="store__uuid")
    terminal_id = django_filters.UUIDFilter(field_name="terminal__uuid")
    kind = django_filters.ChoiceFilter(choices=[(kind, kind) for kind in EVENT_TYPES])
    shift_id = django_filters.UUIDFilter()
    date_from = django_filters.DateFilter(field_name="business_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="business_date", lookup_expr="lte")

    class Meta:
        model = TillActivity
        fields = ["store_id", "terminal_id", "kind", "shift_id", "date_from", "date_to"]
