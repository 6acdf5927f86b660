"""``asiria-cloud reports_rebuild [--check]``: recompute the daily and monthly report
aggregates from the raw sale rows (the truth), or with ``--check`` only compare them and say
where they differ (exit status 1 when they do)."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max, Min

from cloud_api.accounts.models import Organisation
from cloud_api.reporting.rebuild import aggregates_differences, aggregates_rebuild
from cloud_api.sales.models import Sale

# One step a calendar month: its raw rows are grouped in one query and replaced in one
# transaction, daily and monthly tables together.
SHOWN = 20


class Command(BaseCommand):
    help = "Rebuild the daily report aggregates from the raw sales, or --check them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="only this organisation (name or id)")
        parser.add_argument(
            "--from",
            dest="date_from",
            type=date.fromisoformat,
            help="first business day (YYYY-MM-DD); default: the first sale's",
        )
        parser.add_argument(
            "--to",
            dest="date_to",
            type=date.fromisoformat,
            help="last business day (YYYY-MM-DD); default: the last sale's",
        )
        parser.add_argument(
            "--check", action="store_true", help="compare only; exit 1 if any aggregate differs"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("pk")
        if options["org"]:
            value = options["org"]
            organisations = organisations.filter(
                **({"pk": int(value)} if value.isdigit() else {"name": value})
            )
            if not organisations.exists():
                raise CommandError(f"No organisation {value!r}.")
        differing = 0
        for organisation in organisations:
            span = Sale.objects.filter(organisation=organisation).aggregate(
                first=Min("business_date"), last=Max("business_date")
            )
            first = options["date_from"] or span["first"]
            last = options["date_to"] or span["last"]
            if first is None or last is None:
                continue
            day = first
            found = 0
            while day <= last:
                # One calendar month a step, so each monthly row is rebuilt (or checked) once.
                month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
                end = min(month_end - timedelta(days=1), last)
                if options["check"]:
                    differences = aggregates_differences(organisation.pk, day, end)
                    for difference in differences[: max(0, SHOWN - found)]:
                        self.stdout.write(
                            f"{organisation.name}: {difference.table} {difference.key}: "
                            f"stored {difference.stored}, raw rows make {difference.expected}"
                        )
                    found += len(differences)
                else:
                    aggregates_rebuild(organisation.pk, day, end)
                day = end + timedelta(days=1)
            verb = "checked" if options["check"] else "rebuilt"
            self.stdout.write(
                f"{organisation.name}: {verb} {first} to {last}"
                + (f", {found} aggregate rows differ" if found else "")
            )
            differing += found
        if options["check"] and differing:
            self.stdout.write(f"{differing} aggregate rows differ from the raw sales.")
            sys.exit(1)
