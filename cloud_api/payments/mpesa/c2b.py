"""C2B: payments customers make to the pay bill or till number from their own phone.

Daraja confirms each one at our confirmation URL; it is stored once per ``TransID`` whatever
number of times Daraja sends it. A cashier then claims it for a sale by phone and amount.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cloud_api.accounts.models import Store
from cloud_api.core.errors import ApplicationError
from cloud_api.core.principal import Principal
from cloud_api.integrations.daraja import client_from_settings
from cloud_api.payments.models import MpesaC2BPayment, MpesaStoreConfig
from cloud_api.payments.mpesa.amounts import normalise_phone, phone_matches
from cloud_api.payments.mpesa.config import callback_url

log = structlog.get_logger(__name__)

CLAIM_WINDOW = timedelta(hours=24)


def _cents(value: Any) -> int | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount <= 0:
        return None
    return int((amount * 100).to_integral_value())


def _time(value: Any) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y%m%d%H%M%S").replace(
            tzinfo=ZoneInfo("Africa/Nairobi")
        )
    except ValueError:
        return None


def store_for_shortcode(shortcode: str) -> Store | None:
    config = (
        MpesaStoreConfig.objects.filter(Q(shortcode=shortcode) | Q(till_number=shortcode))
        .select_related("store")
        .first()
    )
    return config.store if config else None


def c2b_confirmation_receive(body: Any) -> MpesaC2BPayment | None:
    """Store one confirmation; a TransID already stored is left exactly as it is."""
    if not isinstance(body, dict):
        log.warning("mpesa_c2b_malformed", body=str(body)[:500])
        return None
    trans_id = str(body.get("TransID") or "").strip().upper()
    amount = _cents(body.get("TransAmount"))
    shortcode = str(body.get("BusinessShortCode") or "").strip()
    if not trans_id or len(trans_id) > 20 or amount is None or not shortcode:
        log.warning("mpesa_c2b_malformed", body=str(body)[:500])
        return None
    existing = MpesaC2BPayment.objects.filter(trans_id=trans_id).first()
    if existing is not None:
        log.info("mpesa_c2b_duplicate", trans_id=trans_id)
        return existing
    try:
        with transaction.atomic():
            return MpesaC2BPayment.objects.create(
                store=store_for_shortcode(shortcode),
                trans_id=trans_id,
                transaction_type=str(body.get("TransactionType") or "")[:32],
                trans_time=_time(body.get("TransTime")),
                amount_cents=amount,
                business_short_code=shortcode[:12],
                bill_ref_number=str(body.get("BillRefNumber") or "")[:64],
                msisdn=str(body.get("MSISDN") or "")[:64],
                first_name=str(body.get("FirstName") or "")[:64],
                body=body,
            )
    except IntegrityError:  # the same TransID, confirmed twice at the same moment
        return MpesaC2BPayment.objects.filter(trans_id=trans_id).first()


@transaction.atomic
def c2b_claim(
    *, principal: Principal, store: Store, phone: str, amount_cents: int
) -> MpesaC2BPayment:
    """The oldest unclaimed payment of this amount from this phone to this store today."""
    try:
        phone = normalise_phone(phone)
    except ValueError as exc:
        raise ApplicationError(str(exc), fields={"phone": [str(exc)]}) from exc
    candidates = (
        MpesaC2BPayment.objects.select_for_update(skip_locked=True)
        .filter(
            store=store,
            claimed_at__isnull=True,
            payment__isnull=True,
            amount_cents=amount_cents,
            created_at__gte=timezone.now() - CLAIM_WINDOW,
        )
        .order_by("created_at", "id")
    )
    for candidate in candidates:
        if phone_matches(candidate.msisdn, phone):
            candidate.claimed_at = timezone.now()
            candidate.claimed_by = principal.user
            candidate.claimed_by_terminal = principal.terminal
            candidate.save(
                update_fields=["claimed_at", "claimed_by", "claimed_by_terminal", "updated_at"]
            )
            return candidate
    raise ApplicationError(
        f"No unclaimed M-Pesa payment of KES {amount_cents / 100:,.2f} from {phone} has reached "
        "this store in the last 24 hours. Check the number and amount on the customer's SMS.",
        code="not_found",
        status_code=404,
    )


def c2b_register_urls(*, shortcode: str) -> dict[str, Any]:
    return client_from_settings().register_c2b_urls(
        shortcode=shortcode,
        confirmation_url=callback_url("mpesa-c2b-confirmation"),
        validation_url=callback_url("mpesa-c2b-validation"),
    )
