import django_filters

from cloud_api.purchases.models import OrderStatus, PurchaseOrder


class PurchaseOrderFilter(django_filters.FilterSet):
    store_id = django_filters.UUIDFilter(field_name="store__uuid")
    supplier_id = django_filters.UUIDFilter(field_name="supplier__uuid")
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices)

    class Meta:
        model = PurchaseOrder
        fields = ["store_id", "supplier_id", "status"]
