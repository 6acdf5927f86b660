import django_filters

from cloud_api.payments.models import PaymentMethod
from cloud_api.sales.models import Sale, SaleStatus


class SaleFilter(django_filters.FilterSet):
    """Dates are the store's local calendar dates (the organisation's time zone)."""

    store_id = django_filters.UUIDFilter(field_name="store__uuid")
    date_from = django_filters.DateFilter(field_name="business_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="business_date", lookup_expr="lte")
    status = django_filters.ChoiceFilter(choices=SaleStatus.choices)
    cashier_id = django_filters.UUIDFilter(field_name="cashier__uuid")
    receipt_no = django_filters.CharFilter(max_length=40)
    payment_method = django_filters.ChoiceFilter(
        field_name="payments__method", choices=PaymentMethod.choices, distinct=True
    )

    class Meta:
        model = Sale
        fields = ["store_id", "date_from", "date_to", "status", "cashier_id", "receipt_no"]
