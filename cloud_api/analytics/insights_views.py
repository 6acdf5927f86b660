"""``/api/v1/analytics/``: frequently bought together, anomaly flags and plain-language insights.

Read by the back office (owner, a store's manager, head office), each within its stores.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cloud_api.accounts.models import Organisation, Store
from cloud_api.accounts.selectors import store_list
from cloud_api.analytics import insights_serializers as shapes
from cloud_api.analytics.anomalies import anomaly_flags
from cloud_api.analytics.basket_tasks import compute_basket_rules
from cloud_api.analytics.insights import store_insights
from cloud_api.analytics.models import BasketRule
from cloud_api.catalog.models import Product
from cloud_api.core.principal import HEAD_OFFICE, MANAGER, OWNER
from cloud_api.core.views import PrincipalMixin, resolve
from cloud_api.sales.services import local_date

BACK_OFFICE = {OWNER, MANAGER, HEAD_OFFICE}


class _StoresMixin(PrincipalMixin):
    def stores(self, store_id: UUID | None) -> list[Store]:
        visible = store_list(principal=self.principal)
        store = resolve(visible, store_id, "store_id", "store")
        return [store] if store is not None else list(visible.order_by("name"))

    def today(self) -> date:
        zone = Organisation.objects.get(pk=self.principal.organisation_id).time_zone
        return local_date(timezone.now(), zone)


class BasketRulesView(_StoresMixin, APIView):
    """Frequently bought together: association rules per store, best lift first, as the
    nightly job (or the last ``compute``) left them."""

    roles = {"read": BACK_OFFICE}

    @extend_schema(parameters=[shapes.BasketRulesQuery], responses=shapes.BasketRulesOut)
    def get(self, request: Request) -> Response:
        query = shapes.BasketRulesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        stores = self.stores(query.validated_data["store_id"])
        rules = BasketRule.objects.filter(store__in=stores).select_related(
            "store", "antecedent", "consequent"
        )
        product = resolve(
            Product.objects.filter(organisation_id=self.principal.organisation_id),
            query.validated_data["product_id"],
            "product_id",
            "product",
        )
        if product is not None:
            rules = rules.filter(antecedent=product)
        rules = rules.order_by("-lift", "-pair_count", "id")[: query.validated_data["limit"]]
        return Response(shapes.BasketRulesOut({"results": list(rules)}).data)


class BasketComputeView(_StoresMixin, APIView):
    """Mine a store's last 90 days of sales again now, in the background (202)."""

    roles = {"write": {OWNER, MANAGER}}

    @extend_schema(request=shapes.BasketComputeIn, responses={202: shapes.BasketComputeOut})
    def post(self, request: Request) -> Response:
        body = shapes.BasketComputeIn(data=request.data)
        body.is_valid(raise_exception=True)
        [store] = self.stores(body.validated_data["store_id"])
        compute_basket_rules.delay(store.pk)
        return Response(
            shapes.BasketComputeOut({"store_id": store.uuid, "status": "queued"}).data,
            status=status.HTTP_202_ACCEPTED,
        )


class AnomaliesView(_StoresMixin, APIView):
    """Unusual voids, refunds, discounts and no-sale drawer openings per cashier, and days
    far outside their usual takings, for the ``days`` ending ``date_to``; worst first."""

    roles = {"read": BACK_OFFICE}

    @extend_schema(parameters=[shapes.AnomaliesQuery], responses=shapes.AnomaliesOut)
    def get(self, request: Request) -> Response:
        query = shapes.AnomaliesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        stores = self.stores(query.validated_data["store_id"])
        date_to = query.validated_data["date_to"] or self.today()
        days = query.validated_data["days"]
        flags = anomaly_flags(stores=stores, date_to=date_to, days=days)
        answer = {
            "date_from": date_to - timedelta(days=days - 1),
            "date_to": date_to,
            "flags": [vars(flag) for flag in flags],
        }
        return Response(shapes.AnomaliesOut(answer).data)


class InsightsView(_StoresMixin, APIView):
    """Plain-language insights computed from the sales up to ``date_to``, most telling first,
    each with the numbers behind it."""

    roles = {"read": BACK_OFFICE}

    @extend_schema(parameters=[shapes.InsightsQuery], responses=shapes.InsightsOut)
    def get(self, request: Request) -> Response:
        query = shapes.InsightsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        stores = self.stores(query.validated_data["store_id"])
        date_to = query.validated_data["date_to"] or self.today()
        found = store_insights(stores=stores, date_to=date_to, limit=query.validated_data["limit"])
        answer = {"date_to": date_to, "insights": [vars(insight) for insight in found]}
        return Response(shapes.InsightsOut(answer).data)
