import django_filters
from django.db.models import QuerySet

from cloud_api.customers.models import Customer
from cloud_api.customers.phones import customer_phone


class CustomerFilter(django_filters.FilterSet):
    phone = django_filters.CharFilter(
        method="by_phone", help_text="Any usual way of writing the number: 0712 345 678..."
    )
    name = django_filters.CharFilter(lookup_expr="icontains")
    whatsapp_consent = django_filters.BooleanFilter()

    class Meta:
        model = Customer
        fields = ["phone", "name", "whatsapp_consent"]

    def by_phone(self, queryset: QuerySet[Customer], name: str, value: str) -> QuerySet[Customer]:
        try:
            return queryset.filter(phone=customer_phone(value))
        except ValueError:
            return queryset.none()
