from __future__ import annotations

from typing import cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cloud_api.accounts.selectors import organisation_of, store_for_write
from cloud_api.core.principal import CASHIER, HEAD_OFFICE, MANAGER, OWNER, TERMINAL
from cloud_api.core.views import ScopedViewSet
from cloud_api.sales import receipts, selectors, serializers, services
from cloud_api.sales.filters import SaleFilter
from cloud_api.sales.models import Sale
from cloud_api.sales.payloads import SalePayload


class SaleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Sales with their lines and payments. Creating one takes the till's ``sale.completed``
    payload; sending the same sale again answers 200 with the stored copy."""

    queryset = Sale.objects.none()
    serializer_class = serializers.SaleOut
    filterset_class = SaleFilter
    roles = {
        "read": {OWNER, MANAGER, HEAD_OFFICE, CASHIER},
        "create": {OWNER, MANAGER, CASHIER, TERMINAL},
        "void": {OWNER, MANAGER},
        "refunds": {OWNER, MANAGER},
    }
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Sale]:
        return selectors.sale_list(principal=self.principal)

    @extend_schema(
        request=serializers.SaleIn,
        responses={201: serializers.SaleOut, 200: serializers.SaleOut},
    )
    def create(self, request: Request) -> Response:
        data = serializers.SaleIn(data=request.data)
        data.is_valid(raise_exception=True)
        payload = dict(data.validated_data)
        principal = self.principal
        store = store_for_write(
            principal=principal,
            store_uuid=payload.pop("store_id"),
            question="Which store made this sale?",
        )
        if principal.terminal is not None:
            receipts.terminal_receipt_check(
                terminal=principal.terminal, receipt_no=payload["receipt_no"]
            )
        else:
            payload["receipt_no"] = None  # numbered by the server (sales.receipts)
        sale, created = services.sale_record(
            organisation=organisation_of(principal=principal),
            store=store,
            payload=cast(SalePayload, payload),  # SaleIn checked every field
            terminal=principal.terminal,
            recorded_by=principal.user,
            cashier_must_be=principal.user if principal.role == CASHIER else None,
        )
        if not created:
            sale = self.get_queryset().get(pk=sale.pk)
        return Response(
            serializers.SaleOut(sale).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=serializers.VoidIn, responses=serializers.SaleOut)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, id: str) -> Response:
        data = serializers.VoidIn(data=request.data)
        data.is_valid(raise_exception=True)
        sale = services.sale_void(
            sale=self.get_object(), voided_by=self.principal.user, **data.validated_data
        )
        return Response(serializers.SaleOut(self.get_queryset().get(pk=sale.pk)).data)

    @extend_schema(
        methods=["POST"], request=serializers.RefundIn, responses={201: serializers.RefundOut}
    )
    @extend_schema(methods=["GET"], responses=serializers.RefundOut(many=True))
    @action(detail=True, methods=["get", "post"])
    def refunds(self, request: Request, id: str) -> Response:
        sale = self.get_object()
        if request.method == "GET":
            refunds = selectors.refund_list(sale=sale)
            return Response(serializers.RefundOut(refunds, many=True).data)
        data = serializers.RefundIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        refund = services.refund_create(
            sale=sale,
            refund_uuid=values.pop("id"),
            created_by=self.principal.user,
            **values,
        )
        return Response(serializers.RefundOut(refund).data, status=status.HTTP_201_CREATED)
