from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cloud_api.accounts.selectors import store_for_write
from cloud_api.catalog.selectors import product_list
from cloud_api.core.principal import CASHIER, HEAD_OFFICE, MANAGER, OWNER
from cloud_api.core.views import ScopedViewSet, resolve
from cloud_api.inventory import selectors, serializers, services
from cloud_api.inventory.filters import MovementFilter, StockLevelFilter
from cloud_api.inventory.models import MovementReason, StockLevel, StockMovement


def _store_and_product(view: Any, values: dict[str, Any]) -> tuple[Any, Any]:
    principal = view.principal
    store = store_for_write(
        principal=principal, store_uuid=values.pop("store_id"), question="Which store?"
    )
    product = resolve(
        product_list(principal=principal), values.pop("product_id"), "product_id", "product"
    )
    return store, product


class StockLevelViewSet(mixins.ListModelMixin, ScopedViewSet):
    queryset = StockLevel.objects.none()
    serializer_class = serializers.StockLevelOut
    filterset_class = StockLevelFilter
    roles = {
        "read": {OWNER, MANAGER, HEAD_OFFICE, CASHIER},
        "threshold": {OWNER, MANAGER},
    }

    def get_queryset(self) -> QuerySet[StockLevel]:
        return selectors.stock_level_list(principal=self.principal)

    @extend_schema(request=serializers.ThresholdIn, responses=serializers.StockLevelOut)
    @action(detail=False, methods=["post"])
    def threshold(self, request: Request) -> Response:
        """Set (or clear, with null) the low-stock line of a product in a store."""
        data = serializers.ThresholdIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        store, product = _store_and_product(self, values)
        level = services.stock_threshold_set(
            store=store, product=product, threshold_milli=values["low_stock_threshold_milli"]
        )
        return Response(serializers.StockLevelOut(level).data)


class StockMovementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = StockMovement.objects.none()
    serializer_class = serializers.MovementOut
    filterset_class = MovementFilter
    roles = {"read": {OWNER, MANAGER, HEAD_OFFICE}, "write": {OWNER, MANAGER}}
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[StockMovement]:
        return selectors.stock_movement_list(principal=self.principal)

    @extend_schema(request=serializers.AdjustmentIn, responses={201: serializers.MovementOut})
    def create(self, request: Request) -> Response:
        data = serializers.AdjustmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        store, product = _store_and_product(self, values)
        movement = services.stock_movement_record(
            store=store,
            product=product,
            delta_milli=values["delta_milli"],
            reason=MovementReason.ADJUSTMENT,
            note=values["note"],
            created_by=self.principal.user,
        )
        return Response(serializers.MovementOut(movement).data, status=status.HTTP_201_CREATED)
