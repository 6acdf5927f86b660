import django_filters

from cloud_api.payments.models import Payment, PaymentMethod, PaymentStatus


class PaymentFilter(django_filters.FilterSet):
    method = django_filters.ChoiceFilter(choices=PaymentMethod.choices)
    status = django_filters.ChoiceFilter(choices=PaymentStatus.choices)
    store_id = django_filters.UUIDFilter(field_name="sale__store__uuid")
    sale_id = django_filters.UUIDFilter(field_name="sale__uuid")

    class Meta:
        model = Payment
        fields = ["method", "status", "store_id", "sale_id"]
