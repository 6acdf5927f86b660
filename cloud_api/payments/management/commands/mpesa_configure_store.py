"""Give a store its Lipa na M-Pesa shortcode. The pass key is read from the environment
(ASIRIA_MPESA_PASSKEY), never from the command line, so it stays out of shell history; it is
stored encrypted."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from cloud_api.accounts.models import Store
from cloud_api.core.errors import ApplicationError
from cloud_api.payments.models import MpesaShortcodeKind
from cloud_api.payments.mpesa.config import mpesa_config_set


class Command(BaseCommand):
    help = "Set a store's M-Pesa shortcode, kind and pass key (from ASIRIA_MPESA_PASSKEY)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="Organisation name.")
        parser.add_argument("--store", required=True, help="Store name or code.")
        parser.add_argument("--kind", choices=MpesaShortcodeKind.values, required=True)
        parser.add_argument("--shortcode", required=True)
        parser.add_argument("--till-number", default="", help="Buy goods: the till number.")

    def handle(self, *args: Any, **options: Any) -> None:
        passkey = os.environ.get("ASIRIA_MPESA_PASSKEY", "")
        if not passkey:
            raise CommandError("Put the pass key in ASIRIA_MPESA_PASSKEY first.")
        store = Store.objects.filter(
            Q(name=options["store"]) | Q(code=options["store"]),
            organisation__name=options["org"],
        ).first()
        if store is None:
            raise CommandError(f"No store {options['store']!r} in {options['org']!r}.")
        try:
            config = mpesa_config_set(
                store=store,
                kind=options["kind"],
                shortcode=options["shortcode"],
                passkey=passkey,
                till_number=options["till_number"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{store.name}: M-Pesa {config}")
