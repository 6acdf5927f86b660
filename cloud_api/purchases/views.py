from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cloud_api.accounts.selectors import organisation_of, store_for_write
from cloud_api.catalog.selectors import product_list
from cloud_api.core.views import ScopedViewSet, resolve
from cloud_api.purchases import selectors, serializers, services
from cloud_api.purchases.filters import PurchaseOrderFilter
from cloud_api.purchases.models import PurchaseOrder, Supplier
from cloud_api.purchases.services import PURCHASE_ROLES


class SupplierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = Supplier.objects.none()
    serializer_class = serializers.SupplierOut
    roles = PURCHASE_ROLES
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Supplier]:
        return selectors.supplier_list(principal=self.principal)

    @extend_schema(request=serializers.SupplierIn, responses={201: serializers.SupplierOut})
    def create(self, request: Request) -> Response:
        data = serializers.SupplierIn(data=request.data)
        data.is_valid(raise_exception=True)
        supplier = services.supplier_create(
            organisation=organisation_of(principal=self.principal), **data.validated_data
        )
        return Response(serializers.SupplierOut(supplier).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.SupplierUpdateIn, responses=serializers.SupplierOut)
    def partial_update(self, request: Request, id: str) -> Response:
        data = serializers.SupplierUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        supplier = services.supplier_update(supplier=self.get_object(), **data.validated_data)
        return Response(serializers.SupplierOut(supplier).data)


class PurchaseOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = PurchaseOrder.objects.none()
    serializer_class = serializers.OrderOut
    filterset_class = PurchaseOrderFilter
    roles = PURCHASE_ROLES
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[PurchaseOrder]:
        return selectors.purchase_order_list(principal=self.principal)

    def _fresh(self, order: Any) -> Response:
        return Response(serializers.OrderOut(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(request=serializers.OrderIn, responses={201: serializers.OrderOut})
    def create(self, request: Request) -> Response:
        data = serializers.OrderIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        principal = self.principal
        store = store_for_write(
            principal=principal,
            store_uuid=values.pop("store_id"),
            question="Which store is the order for?",
        )
        supplier = resolve(
            selectors.supplier_list(principal=principal),
            values.pop("supplier_id"),
            "supplier_id",
            "supplier",
        )
        products = product_list(principal=principal)
        lines = [
            {
                "product": resolve(
                    products, line["product_id"], f"lines[{index}].product_id", "product"
                ),
                "quantity_milli": line["quantity_milli"],
                "cost_price_cents": line["cost_price_cents"],
            }
            for index, line in enumerate(values.pop("lines"))
        ]
        order = services.purchase_order_create(
            organisation=organisation_of(principal=principal),
            store=store,
            supplier=supplier,
            lines=lines,
            created_by=principal.user,
            **values,
        )
        response = self._fresh(order)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=serializers.ReceiveIn, responses=serializers.OrderOut)
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, id: str) -> Response:
        data = serializers.ReceiveIn(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.purchase_order_receive(
            order=self.get_object(),
            received_by=self.principal.user,
            lines=data.validated_data.get("lines"),
        )
        return self._fresh(order)

    @extend_schema(request=None, responses=serializers.OrderOut)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, id: str) -> Response:
        return self._fresh(services.purchase_order_cancel(order=self.get_object()))

    @extend_schema(request=None, responses=serializers.OrderOut)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, id: str) -> Response:
        """A draft order (from reorder suggestions) is placed with the supplier."""
        return self._fresh(services.purchase_order_confirm(order=self.get_object()))
