from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cloud_api.accounts.selectors import store_list
from cloud_api.core.principal import HEAD_OFFICE, MANAGER, OWNER
from cloud_api.core.views import PrincipalMixin, resolve
from cloud_api.reporting import selectors, serializers


class SalesSummaryView(PrincipalMixin, APIView):
    """Totals and a day-by-day breakdown; dates are the store's local calendar dates.

    Voided sales are left out (and counted in ``voided_count``); refunds are reported on the
    day they were given and subtracted in ``net_cents``.
    """

    roles = {"read": {OWNER, MANAGER, HEAD_OFFICE}}

    @extend_schema(
        parameters=[serializers.SalesSummaryQuery], responses=serializers.SalesSummaryOut
    )
    def get(self, request: Request) -> Response:
        query = serializers.SalesSummaryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        store = resolve(
            store_list(principal=self.principal),
            query.validated_data["store_id"],
            "store_id",
            "store",
        )
        summary = selectors.sales_summary(
            principal=self.principal,
            date_from=query.validated_data["date_from"],
            date_to=query.validated_data["date_to"],
            store=store,
        )
        return Response(serializers.SalesSummaryOut(summary).data)
