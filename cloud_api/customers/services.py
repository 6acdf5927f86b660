"""Writes: customers and their consent, digital receipts, campaigns, and customers' replies.

Every message is a ``CustomerMessage`` with one ``NotificationDelivery``; sending is the
notifications app's (``delivery_send`` through the ``send_whatsapp`` task), so a customer
message is retried, rate-limited (Graph 130429 / 131056) and tracked by the status webhook
exactly as a staff notification is.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import structlog
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cloud_api.accounts.models import Organisation, Store, User
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.customers.models import (
    ConsentSource,
    Customer,
    CustomerCampaign,
    CustomerMessage,
    CustomerMessageKind,
)
from cloud_api.customers.phones import customer_phone
from cloud_api.customers.receipts import receipt_parameters
from cloud_api.integrations.whatsapp.client import WhatsAppConfig
from cloud_api.notifications.models import DeliveryStatus, NotificationDelivery
from cloud_api.notifications.services import deliveries_queue
from cloud_api.sales.models import Sale
from cloud_api.sync.models import ChangeOp
from cloud_api.sync.services import changes_record

log = structlog.get_logger(__name__)

STOP_WORDS = {"STOP", "UNSUBSCRIBE", "STOP ALL"}
START_WORDS = {"START", "SUBSCRIBE"}


class RateLimited(ApplicationError):
    status_code = 429
    code = "rate_limited"


@transaction.atomic
def customer_create(
    *,
    organisation: Organisation,
    store: Store | None,
    name: str,
    phone: str,
    whatsapp_consent: bool,
    source: str,
) -> Customer:
    phone = _phone(phone)
    if Customer.objects.filter(organisation=organisation, phone=phone).exists():
        raise ConflictError(
            "A customer with this phone number already exists.",
            fields={"phone": ["A customer with this phone number already exists."]},
        )
    customer = Customer(organisation=organisation, store=store, name=name.strip(), phone=phone)
    _consent_set(customer, whatsapp_consent, source, timezone.now())
    customer.save()
    customer_changed(customer=customer)
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, values: dict[str, Any], source: str) -> Customer:
    was_at = customer.store_id
    if "phone" in values:
        phone = _phone(values["phone"])
        taken = Customer.objects.filter(organisation_id=customer.organisation_id, phone=phone)
        if taken.exclude(pk=customer.pk).exists():
            raise ConflictError(
                "Another customer has this phone number.",
                fields={"phone": ["Another customer has this phone number."]},
            )
        customer.phone = phone
    if "name" in values:
        customer.name = str(values["name"]).strip()
    if "store" in values:
        customer.store = values["store"]
    if "whatsapp_consent" in values:
        _consent_set(customer, bool(values["whatsapp_consent"]), source, timezone.now())
    customer.save()
    customer_changed(customer=customer, was_at=was_at)
    return customer


def customer_changed(*, customer: Customer, was_at: int | None = None) -> None:
    """The store's tills pull the customer again (found by phone at the next sale, with the
    consent as it stands); a store the customer left gets a delete. A customer of no store
    (added by head office) goes to no till."""
    if was_at is not None and was_at != customer.store_id:
        changes_record(
            organisation_id=customer.organisation_id,
            entity="customer",
            entity_ids=[customer.uuid],
            op=ChangeOp.DELETE,
            store_id=was_at,
        )
    if customer.store_id is not None:
        changes_record(
            organisation_id=customer.organisation_id,
            entity="customer",
            entity_ids=[customer.uuid],
            store_id=customer.store_id,
        )


def _phone(raw: str) -> str:
    try:
        return customer_phone(raw)
    except ValueError as error:
        raise ApplicationError(str(error), fields={"phone": [str(error)]}) from error


def _consent_set(customer: Customer, consent: bool, source: str, at: datetime) -> None:
    if consent and not customer.may_message:
        customer.whatsapp_consent = True
        customer.consent_at = at
        customer.consent_source = source
        customer.opted_out_at = None
    elif not consent and customer.whatsapp_consent:
        customer.whatsapp_consent = False
        customer.opted_out_at = at
        customer.consent_source = source


def customer_from_till(
    *, organisation: Organisation, store: Store, data: dict[str, Any], at: datetime
) -> Customer:
    """The customer a till attached to a sale: found by phone (the cloud's record wins) or
    added with the till's id. A ticked consent box at the till grants consent, unless the
    customer withdrew it after the sale; an unticked box withdraws nothing (the cashier may
    simply not have asked)."""
    phone = customer_phone(str(data["phone"]))
    customer = (
        Customer.objects.select_for_update().filter(organisation=organisation, phone=phone).first()
    )
    if customer is None:
        customer = Customer(
            organisation=organisation,
            store=store,
            phone=phone,
            name=str(data.get("name") or "").strip()[:120],
        )
        if not Customer.objects.filter(uuid=data["id"]).exists():
            customer.uuid = data["id"]
    elif not customer.name and data.get("name"):
        customer.name = str(data["name"]).strip()[:120]
    withdrew_later = customer.opted_out_at is not None and customer.opted_out_at > at
    if data.get("whatsapp_consent") and not withdrew_later:
        _consent_set(customer, True, ConsentSource.TILL, at)
    customer.save()
    customer_changed(customer=customer)
    return customer


def customers_from_sales(*, store: Store, sales: list[tuple[UUID, dict[str, Any]]]) -> int:
    """After a push applied sales that name a customer (sale id, the payload's ``customer``):
    record the customer, and queue a digital receipt where the customer asked for one and
    agrees to WhatsApp. A problem with the customer never takes the sale down (it is logged
    and the sale stands)."""
    queued = 0
    stored = {sale.uuid: sale for sale in Sale.objects.filter(uuid__in=[s for s, _ in sales])}
    for sale_id, wire in sales:
        sale = stored.get(sale_id)
        if sale is None:
            continue
        try:
            with transaction.atomic():
                customer = customer_from_till(
                    organisation=store.organisation, store=store, data=wire, at=sale.completed_at
                )
                if wire.get("digital_receipt") and receipt_queue(sale=sale, customer=customer):
                    queued += 1
        except (ValueError, KeyError, IntegrityError, DjangoValidationError) as error:
            log.warning("sale_customer_skipped", sale=str(sale.uuid), error=str(error))
    return queued


def receipt_queue(*, sale: Sale, customer: Customer) -> CustomerMessage | None:
    """The ``asiria_receipt`` template for one sale, once (``None``: no consent, no WhatsApp,
    or already queued)."""
    if not customer.may_message or not WhatsAppConfig.from_settings().configured:
        return None
    if CustomerMessage.objects.filter(receipt_for=sale).exists():
        return None
    message = CustomerMessage.objects.create(
        organisation_id=sale.organisation_id,
        store_id=sale.store_id,
        customer=customer,
        kind=CustomerMessageKind.RECEIPT,
        receipt_for=sale,
        template=settings.ASIRIA_WHATSAPP_RECEIPT_TEMPLATE,
        language=settings.ASIRIA_WHATSAPP_TEMPLATE_LANGUAGE,
        parameters=receipt_parameters(sale),
    )
    delivery = NotificationDelivery.objects.create(
        customer_message=message, to=customer.phone, not_before=timezone.now()
    )
    deliveries_queue(delivery_ids=[delivery.pk])
    return message


def campaign_send(
    *,
    organisation: Organisation,
    store: Store,
    template: str,
    language: str,
    parameters: list[str],
    created_by: User | None,
) -> CustomerCampaign:
    """An approved template to every opted-in customer of ``store``, one delivery each.
    Refused as a whole when it would pass the organisation's daily limit."""
    if not WhatsAppConfig.from_settings().configured:
        raise ApplicationError(
            "WhatsApp is not set up for this cloud: nothing can be sent.", code="not_configured"
        )
    with transaction.atomic():
        # One campaign at a time per organisation, so two at once cannot both pass the limit.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        recipients = list(
            Customer.objects.filter(
                organisation=organisation,
                store=store,
                whatsapp_consent=True,
                opted_out_at__isnull=True,
            ).order_by("id")
        )
        if not recipients:
            raise ApplicationError(
                "No customer of this store has agreed to WhatsApp messages yet.",
                code="no_recipients",
            )
        sent_today = campaign_messages_today(organisation=organisation)
        limit = settings.ASIRIA_CUSTOMER_MESSAGES_PER_DAY
        if sent_today + len(recipients) > limit:
            left = max(0, limit - sent_today)
            raise RateLimited(
                f"This would send {len(recipients)} messages; {left} of today's {limit} "
                "campaign messages are left. Try again tomorrow or ask to raise the limit."
            )
        campaign = CustomerCampaign.objects.create(
            organisation=organisation,
            store=store,
            template=template,
            language=language,
            parameters=parameters,
            created_by=created_by,
            recipients=len(recipients),
        )
        messages = CustomerMessage.objects.bulk_create(
            [
                CustomerMessage(
                    organisation=organisation,
                    store=store,
                    customer=customer,
                    kind=CustomerMessageKind.CAMPAIGN,
                    campaign=campaign,
                    template=template,
                    language=language,
                    parameters=parameters,
                )
                for customer in recipients
            ]
        )
        now = timezone.now()
        NotificationDelivery.objects.bulk_create(
            [
                NotificationDelivery(customer_message=message, to=customer.phone, not_before=now)
                for message, customer in zip(messages, recipients, strict=True)
            ]
        )

        def dispatch() -> None:
            from cloud_api.customers.tasks import dispatch_campaign

            dispatch_campaign.delay(campaign.pk)

        transaction.on_commit(dispatch)
    return campaign


def campaign_messages_today(*, organisation: Organisation) -> int:
    """Campaign messages created since midnight in the organisation's time zone."""
    local_now = timezone.now().astimezone(zoneinfo.ZoneInfo(organisation.time_zone))
    midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    return CustomerMessage.objects.filter(
        organisation=organisation,
        kind=CustomerMessageKind.CAMPAIGN,
        created_at__gte=midnight,
        created_at__lt=midnight + timedelta(days=1),
    ).count()


def customer_inbound_apply(message: dict[str, Any]) -> int:
    """A customer wrote to our number: STOP withdraws consent (and drops their queued
    messages), START gives it (source ``reply``); anything else opens the 24-hour window.
    Returns how many customer records matched."""
    sender = str(message.get("from") or "")
    if not sender.isdigit():
        return 0
    phone = "+" + sender
    text = ""
    if message.get("type") == "text":
        text = " ".join(str((message.get("text") or {}).get("body") or "").upper().split())
    now = timezone.now()
    with transaction.atomic():
        customers = list(Customer.objects.select_for_update().filter(phone=phone))
        for customer in customers:
            customer.last_inbound_at = now
            if text in STOP_WORDS:
                _consent_set(customer, False, ConsentSource.REPLY, now)
                customer.opted_out_at = now
            elif text in START_WORDS:
                _consent_set(customer, True, ConsentSource.REPLY, now)
            customer.save()
            if text in STOP_WORDS or text in START_WORDS:
                customer_changed(customer=customer)  # the tills show the consent as it is now
        if customers and text in STOP_WORDS:
            NotificationDelivery.objects.filter(
                customer_message__customer__in=customers, status=DeliveryStatus.QUEUED
            ).update(
                status=DeliveryStatus.FAILED,
                last_error="The customer replied STOP.",
                status_at=now,
                updated_at=now,
            )
    return len(customers)
