"""``asiria-cloud demo_seed``: the demo store in the cloud (the same one ``asiria demo`` seeds on
a till: ``asiria_demo_data``, same ids), and a fresh enrolment code for one demo till.

Idempotent: a re-run adds only what is missing. Everything goes through the cloud's services,
so the change log records it and an enrolled till pulls it. The last line of the output is
machine-readable: ``ENROLLMENT_CODE=K7PX-M2QD`` (left out with ``--no-code``).
"""

from __future__ import annotations

from io import StringIO
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

import asiria_demo_data as demo
from cloud_api.accounts.models import Organisation, Store, Terminal, User
from cloud_api.accounts.services import (
    organisation_bootstrap,
    terminal_create,
    terminal_new_code,
    user_create,
    user_update,
)
from cloud_api.catalog.models import Category, Product, SoldBy, TaxClass
from cloud_api.catalog.services import category_create, product_create, product_update
from cloud_api.core.errors import ApplicationError
from cloud_api.inventory.models import MovementReason, StockLevel
from cloud_api.inventory.services import stock_movements_record_many, stock_threshold_set
from cloud_api.sync.models import Change

TERMINAL_NAME = "Demo till"
# The demo people who get WhatsApp messages (at the FAKE Graph server of ``make demo``).
DEMO_WHATSAPP = {"owner": "+254700000100", "manager": "+254700000200"}


def _rekey(model: type[models.Model], row: Any, entity: str, wanted: str) -> None:
    """Give a row the demo store's deterministic id. The services create rows with a random
    UUIDv7; in the same (still uncommitted) transaction we rename it, and its unsequenced
    change rows with it, so the tills only ever see the demo id."""
    new = UUID(wanted)
    if row.uuid == new:
        return
    old = row.uuid
    model._default_manager.filter(pk=row.pk).update(uuid=new)
    Change.objects.filter(entity=entity, entity_id=old, seq__isnull=True).update(entity_id=new)
    row.uuid = new


def seed_demo_store() -> tuple[Organisation, Store, User, list[str]]:
    """The demo organisation, store S01, its four accounts, categories, products and opening
    stock; returns what was created (empty on a re-run)."""
    with transaction.atomic():
        organisation, store, owner, made = organisation_bootstrap(
            organisation_name=demo.ORGANISATION_NAME,
            store_name=demo.STORE_NAME,
            owner_email=demo.OWNER_EMAIL,
            owner_password=demo.DEMO_PASSWORD,
            owner_name="Owner",
            time_zone=demo.TIME_ZONE,
            currency=demo.CURRENCY,
        )
        created = list(made)
        for account in demo.ACCOUNTS:
            if account.role == "owner":
                user = owner
                if not user.pin_hash:
                    user_update(actor=None, user=user, pin=account.pin)
            else:
                found = User.objects.filter(email__iexact=account.email).first()
                if found is None:
                    found = user_create(
                        actor=None,
                        organisation=organisation,
                        name=account.name,
                        email=account.email,
                        role=account.role,
                        password=demo.DEMO_PASSWORD,
                        store=store,
                        pin=account.pin,
                    )
                    created.append(f"{account.role} {account.name}")
                user = found
            _rekey(User, user, "user", account.id)

        categories: dict[str, Category] = {}
        for wanted in demo.CATEGORIES:
            category = Category.objects.filter(
                organisation=organisation, name=wanted.name
            ).first() or category_create(organisation=organisation, name=wanted.name)
            _rekey(Category, category, "category", wanted.id)
            categories[wanted.name] = category

        taxes = {t.code: t for t in TaxClass.objects.filter(organisation=organisation)}
        have = {
            str(u)
            for u in Product.objects.filter(organisation=organisation).values_list(
                "uuid", flat=True
            )
        }
        new: list[tuple[Product, int, UUID | None]] = []
        for wanted_product in demo.PRODUCTS:
            if wanted_product.id in have:
                continue
            product = product_create(
                organisation=organisation,
                name=wanted_product.name,
                price_cents=wanted_product.price_cents,
                tax_class=taxes[wanted_product.tax_class],
                barcode=wanted_product.barcode,
                sku=wanted_product.sku,
                category=categories[wanted_product.category],
                sold_by=SoldBy.WEIGHT if wanted_product.sold_by_weight else SoldBy.UNIT,
                created_by=owner,
            )
            _rekey(Product, product, "product", wanted_product.id)
            new.append((product, wanted_product.opening_stock_milli, None))
        if new:
            stock_movements_record_many(
                store=store,
                items=new,
                reason=MovementReason.ADJUSTMENT,
                note="Demo opening stock",
                created_by=owner,
                returning=False,
            )
            created.append(f"{len(new)} products with opening stock")
        backfilled = _backfill_skus(organisation, have)
        if backfilled:
            created.append(f"SKUs of {backfilled} weighed products")
        thresholds = _set_thresholds(organisation, store)
        if thresholds:
            created.append(f"low-stock thresholds of {thresholds} products")
    return organisation, store, owner, created


def _set_thresholds(organisation: Organisation, store: Store) -> int:
    """Each demo product's low-stock threshold where it has none (a store seeded before the
    demo had thresholds gets them too), through the service so tills pull them."""
    wanted = {UUID(p.id): p.low_stock_threshold_milli for p in demo.PRODUCTS}
    already = StockLevel.objects.filter(store=store, low_stock_threshold_milli__isnull=False)
    count = 0
    for product in Product.objects.filter(organisation=organisation, uuid__in=wanted).exclude(
        uuid__in=already.values_list("product__uuid", flat=True)
    ):
        stock_threshold_set(store=store, product=product, threshold_milli=wanted[product.uuid])
        count += 1
    return count


def _backfill_skus(organisation: Organisation, have: set[str]) -> int:
    """A demo store seeded before products had a SKU gets its weighed items' PLUs, through
    the service, so enrolled tills pull them and find the scale labels' items again."""
    wanted = {p.id: p.sku for p in demo.PRODUCTS if p.sku and p.id in have}
    missing = Product.objects.filter(
        organisation=organisation, uuid__in=[UUID(uuid) for uuid in wanted], sku__isnull=True
    )
    count = 0
    for product in missing:
        product_update(product=product, sku=wanted[str(product.uuid)])
        count += 1
    return count


def configure_fakes(organisation: Organisation, store: Store) -> list[str]:
    """``make demo``'s fakes: the store takes M-Pesa on Daraja's public sandbox shortcode (the
    FAKE Daraja knows its pass key, put in ASIRIA_MPESA_PASSKEY by scripts/demo.py), and the
    owner and manager are opted in to WhatsApp (once: a demo user's own choice later stays)."""
    from django.core.management import call_command

    from cloud_api.integrations.fake_daraja_records import SANDBOX_SHORTCODE
    from cloud_api.notifications.models import NotificationPreference
    from cloud_api.notifications.services import notification_preference_set

    done = []
    call_command(
        "mpesa_configure_store",
        org=organisation.name,
        store=store.code,
        kind="paybill",
        shortcode=SANDBOX_SHORTCODE,
        stdout=StringIO(),
    )
    done.append(f"M-Pesa pay bill {SANDBOX_SHORTCODE} (FAKE Daraja)")
    for account in demo.ACCOUNTS:
        phone = DEMO_WHATSAPP.get(account.role)
        user = User.objects.filter(organisation=organisation, uuid=UUID(account.id)).first()
        if phone is None or user is None:
            continue
        if NotificationPreference.objects.filter(user=user).exists():
            continue
        notification_preference_set(
            user=user, values={"whatsapp_opt_in": True, "whatsapp_phone": phone}
        )
        done.append(f"WhatsApp for {account.name} {phone}")
    return done


def enrollment_code(
    store: Store, owner: User, terminal_id: str | None = None
) -> tuple[Terminal, str]:
    """A code for a demo till: ``terminal_id`` (a demo till enrolling again, e.g. with the cloud
    on another port) keeps its terminal and receipt numbers; otherwise the terminal still
    waiting for its till (never enrolled) gets a new code, else a new terminal is made."""
    if terminal_id:
        again = Terminal.objects.filter(store=store, uuid=UUID(terminal_id)).first()
        if again is not None:
            return terminal_new_code(terminal=again)
    waiting = (
        Terminal.objects.filter(store=store, enrolled_at__isnull=True, revoked_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if waiting is not None:
        return terminal_new_code(terminal=waiting)
    return terminal_create(store=store, name=TERMINAL_NAME, created_by=owner)


class Command(BaseCommand):
    help = "Create the demo store (idempotent) and print an enrolment code for a demo till."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-code", action="store_true", help="seed only, no enrolment code")
        parser.add_argument(
            "--terminal", metavar="UUID", help="a new code for this demo terminal (re-enrolment)"
        )
        parser.add_argument(
            "--with-fakes",
            action="store_true",
            help="M-Pesa and WhatsApp for make demo's FAKE Daraja and Graph servers",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation, store, owner, created = seed_demo_store()
            if options["with_fakes"]:
                created += configure_fakes(organisation, store)
            code = (
                None if options["no_code"] else enrollment_code(store, owner, options["terminal"])
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} {exc.fields or ''}".strip()) from exc
        summary = ", ".join(created) if created else "nothing (the demo store was there)"
        self.stdout.write(f"Demo store: created {summary}.")
        self.stdout.write(
            f"{organisation.name}, store {store.name} {store.code}; "
            f"owner {owner.email} / password {demo.DEMO_PASSWORD}."
        )
        if code is not None:
            terminal, plain = code
            self.stdout.write(f"Enrolment code for terminal {terminal.code} ({terminal.name}):")
            self.stdout.write(f"ENROLLMENT_CODE={plain}")
