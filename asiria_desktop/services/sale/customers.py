"""Attaching a customer to the sale: find them by phone, or add them with their consent.

The till keeps the customers it has met (``uow.customers``), so a returning customer is found
by phone with no network; the customer travels to the cloud inside ``sale.completed``, where
the organisation's customer record is kept and the WhatsApp receipt is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from asiria_desktop.domain.customer import SaleCustomer, normalise_phone, phone_text
from asiria_desktop.domain.errors import DomainError
from asiria_desktop.ports.records import CustomerRecord
from asiria_desktop.services.context import TillContext, storage_errors
from asiria_desktop.services.sale.sale_session import SaleSession

NAME_LIMIT = 120


@dataclass(frozen=True)
class CustomerLookup:
    """What the cashier sees after typing a phone number."""

    phone: str  # E.164
    phone_text: str  # as a cashier reads it
    known: bool
    name: str
    whatsapp_consent: bool
    message: str


class CustomerService:
    def __init__(self, ctx: TillContext, session: SaleSession) -> None:
        self._ctx = ctx
        self._session = session

    def find(self, raw_phone: str) -> CustomerLookup:
        """The customer with this phone, or what to ask for a new one. ``InvalidPhone`` when
        the text is no phone number."""
        self._ctx.require_cashier()
        phone = normalise_phone(raw_phone)
        with self._ctx.uow(read_only=True) as uow:
            record = uow.customers.by_phone(phone)
        if record is None:
            return CustomerLookup(
                phone, phone_text(phone), False, "", False, "New customer: type their name."
            )
        consent = "agrees to WhatsApp" if record.whatsapp_consent else "no WhatsApp consent"
        return CustomerLookup(
            phone,
            phone_text(phone),
            True,
            record.name,
            record.whatsapp_consent,
            f"{record.name or 'Customer'} ({consent}).",
        )

    def attach(
        self, raw_phone: str, name: str, *, whatsapp_consent: bool, digital_receipt: bool
    ) -> SaleCustomer:
        """Attach the customer to the sale in progress and remember them at this till."""
        self._ctx.require_cashier()
        phone = normalise_phone(raw_phone)
        name = " ".join(name.split())[:NAME_LIMIT]
        if digital_receipt and not whatsapp_consent:
            raise DomainError(
                "Tick that the customer agrees to WhatsApp messages to send the receipt there."
            )
        now = self._ctx.clock.now()
        with storage_errors("The customer was not saved"), self._ctx.uow() as uow:
            known = uow.customers.by_phone(phone)
            customer_id = known.id if known is not None else self._ctx.ids()
            uow.customers.save(CustomerRecord(customer_id, phone, name, whatsapp_consent, now))
            uow.commit()
        customer = SaleCustomer(
            id=customer_id,
            phone=phone,
            name=name or (known.name if known is not None else ""),
            whatsapp_consent=whatsapp_consent,
            digital_receipt=digital_receipt,
        )
        self._session.attach_customer(customer)
        return customer

    def detach(self) -> None:
        self._session.attach_customer(None)

    @property
    def attached(self) -> SaleCustomer | None:
        return self._session.customer
