"""M-Pesa endpoints: the till's STK prompts and C2B claims (authenticated), and Daraja's
callbacks (authenticated by the secret in their path, answered the way Daraja expects)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import structlog
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cloud_api.core.errors import error_response
from cloud_api.core.principal import CASHIER, MANAGER, OWNER, TERMINAL
from cloud_api.core.views import PrincipalMixin, ScopedViewSet, resolve
from cloud_api.payments.models import MpesaStkAttempt, StkStatus
from cloud_api.payments.mpesa import c2b, selectors, serializers, stk, verification
from cloud_api.payments.mpesa.config import secret_matches

log = structlog.get_logger(__name__)

# The till and the people of a store; head office watches, it does not take payments.
STORE_PEOPLE = {OWNER, MANAGER, CASHIER, TERMINAL}
ACCEPTED = {"ResultCode": 0, "ResultDesc": "Accepted"}


class StkAttemptViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = MpesaStkAttempt.objects.none()
    serializer_class = serializers.StkAttemptOut
    roles = {"read": STORE_PEOPLE, "write": STORE_PEOPLE}

    def get_queryset(self) -> QuerySet[MpesaStkAttempt]:
        return selectors.stk_attempt_list(principal=self.principal)

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        data = serializers.StkStartIn(data=request.data)
        data.is_valid(raise_exception=True)
        store = resolve(
            selectors.stores_for(principal=self.principal),
            data.validated_data["store_id"],
            "store_id",
            "store",
        )
        attempt = stk.stk_start(
            principal=self.principal,
            store=store,
            phone=data.validated_data["phone"],
            amount_cents=data.validated_data["amount_cents"],
            reference=data.validated_data["reference"],
        )
        return Response(serializers.StkStartOut(attempt).data, status=status.HTTP_202_ACCEPTED)

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        attempt = self.get_object()
        if attempt.status == StkStatus.PENDING and _callback_is_late(attempt):
            # The till is polling and the callback is late: ask M-Pesa, off this request.
            stk._confirm_later(attempt.pk)
        return Response(self.get_serializer(attempt).data)


def _callback_is_late(attempt: MpesaStkAttempt) -> bool:
    from django.conf import settings

    now = timezone.now()
    late = (now - attempt.created_at).total_seconds() >= settings.MPESA_QUERY_AFTER_SECONDS
    recent = attempt.last_queried_at and (now - attempt.last_queried_at).total_seconds() < 5
    return late and not recent


class C2BClaimView(PrincipalMixin, APIView):
    """A cashier takes a payment the customer made to the till number for the current sale."""

    roles = {"write": STORE_PEOPLE}

    @extend_schema(request=serializers.C2BClaimIn, responses=serializers.C2BPaymentOut)
    def post(self, request: Request) -> Response:
        data = serializers.C2BClaimIn(data=request.data)
        data.is_valid(raise_exception=True)
        store = resolve(
            selectors.stores_for(principal=self.principal),
            data.validated_data["store_id"],
            "store_id",
            "store",
        )
        payment = c2b.c2b_claim(
            principal=self.principal,
            store=store,
            phone=data.validated_data["phone"],
            amount_cents=data.validated_data["amount_cents"],
        )
        return Response(serializers.C2BPaymentOut(payment).data)


def _daraja_view(
    name: str, handle: Callable[[Any], Any], answer: dict[str, Any] = ACCEPTED
) -> Callable[..., JsonResponse]:
    """A callback Daraja POSTs to: a wrong secret is a logged 404 that changes nothing; with
    the right one Daraja always gets its acknowledgement (even for a body we cannot read,
    which is logged), so it never retries into a loop."""

    @csrf_exempt
    @require_POST
    def view(request: HttpRequest, secret: str) -> JsonResponse:
        if not secret_matches(secret):
            log.warning(
                "mpesa_callback_forged",
                callback=name,
                remote=request.META.get("REMOTE_ADDR"),
                size=len(request.body),  # not the body: it carries customers' phone numbers
            )
            return error_response(404, "not_found", "Not found.")
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            log.warning("mpesa_callback_unreadable", callback=name)
            return JsonResponse(answer)
        handle(body)
        return JsonResponse(answer)

    view.__name__ = name
    return view


stk_callback = _daraja_view("mpesa_stk_callback", stk.stk_callback_receive)
c2b_validation = _daraja_view(
    # Every payment is welcome: refusing at validation would turn a customer's money away.
    "mpesa_c2b_validation",
    lambda body: None,
    {"ResultCode": "0", "ResultDesc": "Accepted"},
)
c2b_confirmation = _daraja_view("mpesa_c2b_confirmation", c2b.c2b_confirmation_receive)
status_result = _daraja_view("mpesa_status_result", verification.status_result_receive)
status_timeout = _daraja_view(
    "mpesa_status_timeout", lambda body: verification.status_result_receive(body, timed_out=True)
)
