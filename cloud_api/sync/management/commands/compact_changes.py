"""``asiria-cloud compact_changes``: compact the tills' change log now (the nightly Celery
job does the same) and say what went."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cloud_api.accounts.models import Organisation
from cloud_api.sync.compaction import CHUNK_SIZE, changes_compact


class Command(BaseCommand):
    help = (
        "Drop change-log rows superseded by a newer change of the same entity, and deletes "
        "every live till has pulled past once they are older than the retention window."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="only this organisation (name or id)")
        parser.add_argument(
            "--retention-days",
            type=int,
            help="keep deletes this many days at least (default: SYNC_TOMBSTONE_RETENTION_DAYS)",
        )
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help="rows per DELETE")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation_id = None
        if options["org"]:
            organisation_id = _organisation(options["org"]).pk
        days = options["retention_days"]
        if days is not None and days < 0:
            raise CommandError("--retention-days cannot be negative.")
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1.")
        result = changes_compact(
            organisation_id=organisation_id,
            retention=None if days is None else timedelta(days=days),
            chunk_size=options["chunk_size"],
        )
        kinds = ", ".join(f"{entity} {n}" for entity, n in sorted(result.removed_by_entity.items()))
        self.stdout.write(
            f"Removed {result.removed} changes in {result.organisations} organisation(s): "
            f"{result.superseded} superseded, {result.tombstones} tombstones"
            + (f" ({kinds})." if kinds else ".")
        )
        if result.kept_tombstones:
            self.stdout.write(
                f"Kept {result.kept_tombstones} deletes that tills have not pulled yet; "
                "waiting for: " + "; ".join(result.waiting_for) + ". Revoke tills no longer used."
            )


def _organisation(wanted: str) -> Organisation:
    found = Organisation.objects.filter(name=wanted).first()
    if found is None and wanted.isdigit():
        found = Organisation.objects.filter(pk=int(wanted)).first()
    if found is None:
        raise CommandError(f"No organisation named {wanted!r}.")
    return found
