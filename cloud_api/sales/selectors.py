from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cloud_api.core.principal import CASHIER, Principal
from cloud_api.payments.models import Payment
from cloud_api.sales.models import Refund, Sale, SaleLine


def sale_list(*, principal: Principal) -> QuerySet[Sale]:
    """Sales the caller may see; a cashier sees their own."""
    sales = Sale.objects.filter(organisation_id=principal.organisation_id).select_related(
        "store", "terminal", "cashier"
    )
    sales = principal.scope_stores(sales)
    if principal.role == CASHIER:
        sales = sales.filter(cashier=principal.user)
    return sales.prefetch_related(
        Prefetch("lines", queryset=SaleLine.objects.select_related("product")),
        Prefetch("payments", queryset=Payment.objects.order_by("id")),
    ).order_by("-completed_at", "-id")


def refund_list(*, sale: Sale) -> QuerySet[Refund]:
    return (
        sale.refunds.select_related("sale")
        .prefetch_related("lines__sale_line")
        .order_by("created_at", "id")
    )
