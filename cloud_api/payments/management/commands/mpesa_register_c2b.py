"""Register this cloud's C2B validation and confirmation URLs with Daraja for every store's
shortcode (or the ones named), so payments to the pay bill or till number reach us."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cloud_api.integrations.daraja import DarajaError
from cloud_api.payments.models import MpesaStoreConfig
from cloud_api.payments.mpesa.c2b import c2b_register_urls


class Command(BaseCommand):
    help = "Register the C2B confirmation/validation URLs with Daraja."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("shortcodes", nargs="*", help="Only these shortcodes.")

    def handle(self, *args: object, shortcodes: list[str], **options: object) -> None:
        configs = MpesaStoreConfig.objects.filter(active=True).select_related("store")
        numbers = sorted({config.party_b for config in configs} | set(shortcodes))
        if shortcodes:
            numbers = [number for number in numbers if number in shortcodes]
        if not numbers:
            raise CommandError("No store has an M-Pesa shortcode; set one in the admin first.")
        failed = 0
        for number in numbers:
            try:
                answer = c2b_register_urls(shortcode=number)
            except DarajaError as exc:
                failed += 1
                self.stderr.write(f"{number}: refused: {exc.message}")
                continue
            self.stdout.write(f"{number}: {answer.get('ResponseDescription', 'registered')}")
        if failed:
            raise CommandError(f"{failed} shortcode(s) could not be registered.")
