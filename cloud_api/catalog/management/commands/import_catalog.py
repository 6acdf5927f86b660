"""``asiria-cloud import_catalog --org NAME FILE.csv|FILE.xlsx [--map COLUMN=HEADER] [--check]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cloud_api.accounts.models import Organisation
from cloud_api.catalog.catalog_import import (
    COLUMNS,
    CatalogImportRefused,
    CatalogReport,
    catalog_import_file,
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


def summary(report: CatalogReport, *, checked_only: bool) -> str:
    verb = "Would add" if checked_only else "Added"
    categories = ", ".join(report.categories_created) or "none"
    return (
        f"{verb} {report.created} products and update {report.updated} "
        f"({report.rows} rows); new categories: {categories}."
        if checked_only
        else f"{verb} {report.created} products and updated {report.updated} "
        f"({report.rows} rows); new categories: {categories}."
    )


class Command(BaseCommand):
    help = (
        "Import a catalog from a CSV or XLSX file (columns "
        + ", ".join(COLUMNS)
        + "; name and price required). Every row is checked first: one bad row and nothing "
        "is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="Organisation name")
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file, first row the headers")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=HEADER",
            help="The file's header for a column, e.g. --map price=Selling Price",
        )
        parser.add_argument(
            "--check", action="store_true", help="Check the file and report; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(name__iexact=options["org"].strip()).first()
        if organisation is None:
            raise CommandError(f'No organisation is called "{options["org"]}".')
        try:
            report = catalog_import_file(
                organisation=organisation,
                path=options["file"],
                renames=parse_renames(options["map"]),
                dry_run=options["check"],
            )
        except (CatalogImportRefused, OSError) as error:
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
        self.stdout.write(summary(report, checked_only=options["check"]))
