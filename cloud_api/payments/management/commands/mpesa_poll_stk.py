"""Query Daraja about STK prompts whose callback is late, and time out the ones that never got
an answer (for cron, where no Celery beat runs)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cloud_api.payments.mpesa.stk import stk_poll_late


class Command(BaseCommand):
    help = "Settle M-Pesa prompts whose callback is late (STK query); time out silent ones."

    def handle(self, *args: object, **options: object) -> None:
        counts = stk_poll_late()
        self.stdout.write(f"queried {counts['queried']}, settled {counts['settled']}")
