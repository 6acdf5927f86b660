"""``asiria-cloud bootstrap``: organisation, first store and owner; safe to re-run."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cloud_api.accounts.services import organisation_bootstrap
from cloud_api.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create the organisation, its first store and its owner (changes nothing that exists)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="Organisation name")
        parser.add_argument("--store", required=True, help="First store's name")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument(
            "--owner-password",
            default=os.environ.get("ASIRIA_OWNER_PASSWORD"),
            help="Owner's password (or set ASIRIA_OWNER_PASSWORD, which stays out of `ps`)",
        )
        parser.add_argument("--owner-name", default="")
        parser.add_argument("--time-zone", default="Africa/Nairobi")
        parser.add_argument("--currency", default="KES")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["owner_password"]:
            raise CommandError("Give --owner-password or set ASIRIA_OWNER_PASSWORD.")
        try:
            organisation, store, owner, created = organisation_bootstrap(
                organisation_name=options["org"],
                store_name=options["store"],
                owner_email=options["owner_email"],
                owner_password=options["owner_password"],
                owner_name=options["owner_name"],
                time_zone=options["time_zone"],
                currency=options["currency"],
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} {exc.fields or ''}".strip()) from exc
        summary = ", ".join(created) if created else "nothing (everything already existed)"
        self.stdout.write(f"Created: {summary}.")
        self.stdout.write(
            f"Organisation {organisation.name} ({organisation.uuid}); "
            f"store {store.name} {store.code} ({store.uuid}); owner {owner.email}."
        )
