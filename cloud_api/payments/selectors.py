from __future__ import annotations

from django.db.models import QuerySet

from cloud_api.core.principal import CASHIER, Principal
from cloud_api.payments.models import Payment


def payment_list(*, principal: Principal) -> QuerySet[Payment]:
    payments = (
        Payment.objects.filter(sale__organisation_id=principal.organisation_id)
        .select_related("sale", "sale__store")
        .prefetch_related("history")
    )
    payments = principal.scope_stores(payments, "sale__store_id")
    if principal.role == CASHIER:
        payments = payments.filter(sale__cashier=principal.user)
    return payments.order_by("-created_at", "-id")
