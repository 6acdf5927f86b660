from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import mixins

from cloud_api.core.principal import CASHIER, HEAD_OFFICE, MANAGER, OWNER
from cloud_api.core.views import ScopedViewSet
from cloud_api.payments import selectors, serializers
from cloud_api.payments.filters import PaymentFilter
from cloud_api.payments.models import Payment


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Payments are written with their sale (and by the M-Pesa flows); here they are read."""

    queryset = Payment.objects.none()
    serializer_class = serializers.PaymentOut
    filterset_class = PaymentFilter
    roles = {"read": {OWNER, MANAGER, HEAD_OFFICE, CASHIER}}

    def get_queryset(self) -> QuerySet[Payment]:
        return selectors.payment_list(principal=self.principal)
