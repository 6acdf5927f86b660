from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from cloud_api.accounts.selectors import organisation_of, store_for_write, store_list
from cloud_api.core.principal import HEAD_OFFICE, MANAGER, OWNER
from cloud_api.core.views import ScopedViewSet, resolve
from cloud_api.customers import selectors, serializers, services
from cloud_api.customers.filters import CustomerFilter
from cloud_api.customers.models import ConsentSource, Customer, CustomerCampaign

READERS = {OWNER, MANAGER, HEAD_OFFICE}
CUSTOMER_ROLES = {"read": READERS, "write": {OWNER, MANAGER}}
CAMPAIGN_ROLES = {"read": READERS, "write": {OWNER, HEAD_OFFICE}}


class CustomerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Customers who may hear from the shop on WhatsApp, with their consent."""

    queryset = Customer.objects.none()
    serializer_class = serializers.CustomerOut
    roles = CUSTOMER_ROLES
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = CustomerFilter

    def get_queryset(self) -> QuerySet[Customer]:
        return selectors.customer_list(principal=self.principal)

    @extend_schema(request=serializers.CustomerIn, responses={201: serializers.CustomerOut})
    def create(self, request: Request) -> Response:
        data = serializers.CustomerIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        principal = self.principal
        store = store_for_write(
            principal=principal,
            store_uuid=values.pop("store_id"),
            question="Which store does the customer shop at?",
        )
        customer = services.customer_create(
            organisation=organisation_of(principal=principal),
            store=store,
            source=ConsentSource.API,
            **values,
        )
        return Response(serializers.CustomerOut(customer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.CustomerUpdateIn, responses=serializers.CustomerOut)
    def partial_update(self, request: Request, id: str) -> Response:
        data = serializers.CustomerUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        customer = self.get_object()
        if "store_id" in values:
            values["store"] = resolve(
                store_list(principal=self.principal), values.pop("store_id"), "store_id", "store"
            )
        customer = services.customer_update(
            customer=customer, values=values, source=ConsentSource.API
        )
        return Response(serializers.CustomerOut(customer).data)


class CustomerCampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """An approved template sent to a store's opted-in customers; rate-limited per day."""

    queryset = CustomerCampaign.objects.none()
    serializer_class = serializers.CampaignOut
    roles = CAMPAIGN_ROLES
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[CustomerCampaign]:
        return selectors.campaign_list(principal=self.principal)

    @extend_schema(request=serializers.CampaignIn, responses={202: serializers.CampaignOut})
    def create(self, request: Request) -> Response:
        data = serializers.CampaignIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        principal = self.principal
        store = store_for_write(
            principal=principal, store_uuid=values.pop("store_id"), question="Which store?"
        )
        campaign = services.campaign_send(
            organisation=organisation_of(principal=principal),
            store=store,
            created_by=principal.user,
            **values,
        )
        fresh = self.get_queryset().get(pk=campaign.pk)
        return Response(serializers.CampaignOut(fresh).data, status=status.HTTP_202_ACCEPTED)
