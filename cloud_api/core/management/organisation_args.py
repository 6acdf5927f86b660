"""``--org NAME --store NAME_OR_CODE`` as the data commands take them."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.db.models import Q

from cloud_api.accounts.models import Organisation, Store


def add_org_store_arguments(parser: CommandParser) -> None:
    parser.add_argument("--org", required=True, help="Organisation name")
    parser.add_argument("--store", required=True, help="Store name or code (S01)")


def org_and_store(org: str, store: str) -> tuple[Organisation, Store]:
    organisation = Organisation.objects.filter(name__iexact=org.strip()).first()
    if organisation is None:
        raise CommandError(f'No organisation is called "{org}".')
    found = Store.objects.filter(
        Q(name__iexact=store.strip()) | Q(code__iexact=store.strip()), organisation=organisation
    ).first()
    if found is None:
        raise CommandError(f'{organisation.name} has no store called or coded "{store}".')
    return organisation, found
