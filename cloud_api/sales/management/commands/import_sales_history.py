"""``asiria-cloud import_sales_history --org NAME --store NAME_OR_CODE FILE.csv [--map C=H]``."""

from __future__ import annotations

import csv
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cloud_api.core.management.organisation_args import add_org_store_arguments, org_and_store
from cloud_api.sales.history_import import (
    COLUMNS,
    ImportRefused,
    sales_history_import_csv,
)

SHOWN_ERRORS = 50


def parse_renames(pairs: list[str]) -> dict[str, str]:
    renames: dict[str, str] = {}
    for pair in pairs:
        column, sep, header = pair.partition("=")
        if not sep or not column.strip() or not header.strip():
            raise CommandError(f'--map takes COLUMN=HEADER, not "{pair}".')
        renames[column.strip().lower()] = header.strip()
    return renames


class Command(BaseCommand):
    help = (
        "Import another POS's sales history from a CSV file (columns "
        + ", ".join(COLUMNS)
        + "). Every row is checked first: one bad row and nothing is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_org_store_arguments(parser)
        parser.add_argument("file", help="CSV file, UTF-8, first line the headers")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=HEADER",
            help="The file's header for a column, e.g. --map receipt=Transaction",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation, store = org_and_store(options["org"], options["store"])
        started = time.perf_counter()
        try:
            report = sales_history_import_csv(
                organisation=organisation,
                store=store,
                path=options["file"],
                renames=parse_renames(options["map"]),
            )
        except (ImportRefused, OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"Nothing imported: {error}") from error
        if not report.ok:
            for line, reason in report.errors[:SHOWN_ERRORS]:
                self.stderr.write(f"line {line}: {reason}")
            more = len(report.errors) - SHOWN_ERRORS
            if more > 0:
                self.stderr.write(f"... and {more} more bad lines")
            raise CommandError(
                f"Nothing imported: {len(report.errors)} bad lines of {report.rows}. "
                "Correct them and run the import again."
            )
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Imported {report.sales_created} sales ({report.lines_created} lines) into "
            f"{store.name} in {seconds:.1f} s; {report.sales_already_imported} receipts were "
            f"already imported, {report.empty_lines} empty lines skipped, "
            f"{len(report.products_created)} new products."
        )
