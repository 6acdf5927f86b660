"""Demand forecasts, reorder suggestions and draft purchase orders over the API."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cloud_api.accounts.models import Store
from cloud_api.accounts.selectors import store_for_write, store_list
from cloud_api.analytics import forecast_serializers as s
from cloud_api.analytics.forecast_tasks import refresh_store_forecast
from cloud_api.analytics.models import DemandForecastDay
from cloud_api.analytics.reorder import draft_orders_from_suggestions, reorder_suggestions
from cloud_api.catalog.selectors import product_list
from cloud_api.core.principal import HEAD_OFFICE, MANAGER, OWNER, Principal
from cloud_api.core.views import PrincipalMixin, ScopedViewSet, resolve
from cloud_api.purchases import selectors as purchase_selectors

READ = {OWNER, MANAGER, HEAD_OFFICE}
WRITE = {OWNER, MANAGER}
STORE_QUESTION = "Which store? Give store_id."


class DemandForecastViewSet(mixins.ListModelMixin, ScopedViewSet):
    """The cached daily forecasts (14 days from the day they were computed) of one store, or
    of every store the caller sees when ``store_id`` is left out."""

    queryset = DemandForecastDay.objects.none()
    serializer_class = s.ForecastDayOut
    roles = {"read": READ}

    def get_queryset(self) -> QuerySet[DemandForecastDay]:
        query = s.ForecastQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        stores = _stores_asked(self.principal, query.validated_data["store_id"])
        rows = DemandForecastDay.objects.filter(store__in=stores).select_related("store", "product")
        if query.validated_data["product_id"] is not None:
            rows = rows.filter(product__uuid=query.validated_data["product_id"])
        return rows.order_by("store_id", "product__name", "product_id", "date")

    @extend_schema(parameters=[s.ForecastQuery])
    def list(self, request: Request) -> Response:
        return super().list(request)


class ForecastRefreshView(PrincipalMixin, APIView):
    """Queue the store's forecast job now (it also runs every night)."""

    roles = {"write": WRITE}

    @extend_schema(request=s.ForecastRefreshIn, responses={202: s.ForecastRefreshOut})
    def post(self, request: Request) -> Response:
        data = s.ForecastRefreshIn(data=request.data)
        data.is_valid(raise_exception=True)
        store = store_for_write(
            principal=self.principal,
            store_uuid=data.validated_data["store_id"],
            question=STORE_QUESTION,
        )
        refresh_store_forecast.delay(store.pk)
        return Response(
            {"store_id": str(store.uuid), "queued": True}, status=status.HTTP_202_ACCEPTED
        )


def _stores_asked(principal: Principal, store_uuid: UUID | None) -> list[Store]:
    """The store asked for, or every store the caller sees."""
    stores = store_list(principal=principal).select_related("organisation")
    if store_uuid is None:
        return list(stores)
    return [resolve(stores, store_uuid, "store_id", "store")]


class ReorderSuggestionsView(PrincipalMixin, APIView):
    """What to order now so stock lasts until the next order arrives (order-up-to policy), for
    one store or every store the caller sees; stores without forecasts yet give nothing."""

    roles = {"read": READ}

    @extend_schema(parameters=[s.ReorderQuery], responses=s.ReorderSuggestionsOut)
    def get(self, request: Request) -> Response:
        query = s.ReorderQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        suggestions = [
            suggestion
            for store in _stores_asked(self.principal, query.validated_data["store_id"])
            for suggestion in reorder_suggestions(
                store=store,
                service_level=query.validated_data["service_level"],
                review_days=query.validated_data["review_days"],
            )
        ]
        return Response(s.ReorderSuggestionsOut({"results": suggestions}).data)


class DraftOrdersView(PrincipalMixin, APIView):
    """Turn the current suggestions into draft purchase orders, one per supplier; a manager
    or owner confirms each (``POST /purchase-orders/{id}/confirm/``). Nothing short: 200 and
    an empty list."""

    roles = {"write": WRITE}

    @extend_schema(
        request=s.DraftOrdersIn,
        responses={201: s.DraftOrderOut(many=True), 200: s.DraftOrderOut(many=True)},
    )
    def post(self, request: Request) -> Response:
        data = s.DraftOrdersIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        principal = self.principal
        store = store_for_write(
            principal=principal, store_uuid=values["store_id"], question=STORE_QUESTION
        )
        supplier = resolve(
            purchase_selectors.supplier_list(principal=principal),
            values["supplier_id"],
            "supplier_id",
            "supplier",
        )
        products = None
        if "product_ids" in values:
            known = product_list(principal=principal)
            products = [
                resolve(known, uuid, f"product_ids[{i}]", "product")
                for i, uuid in enumerate(values["product_ids"])
            ]
        orders = draft_orders_from_suggestions(
            store=store,
            created_by=principal.user,
            service_level=values["service_level"],
            review_days=values["review_days"],
            fallback_supplier=supplier,
            products=products,
        )
        fresh = purchase_selectors.purchase_order_list(principal=principal).filter(
            pk__in=[order.pk for order in orders]
        )
        code = status.HTTP_201_CREATED if orders else status.HTTP_200_OK
        return Response(s.DraftOrderOut(fresh, many=True).data, status=code)
