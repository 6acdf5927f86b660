"""What every dashboard page starts from: the organisation, the stores the person sees and
the store and dates the filter asks for."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.http import Http404, HttpRequest
from django.urls import reverse

from cloud_api.accounts.models import Organisation, Store
from cloud_api.accounts.selectors import store_list
from cloud_api.core.principal import Principal
from cloud_api.dashboard.forms import FilterForm
from cloud_api.dashboard.periods import local_today


class PageContext:
    """The organisation, the stores this person sees and the page's checked filters."""

    def __init__(self, request: HttpRequest, principal: Principal) -> None:
        self.organisation = Organisation.objects.get(pk=principal.organisation_id)
        self.today = local_today(self.organisation.time_zone)
        self.stores = list(store_list(principal=principal))
        self.form = FilterForm(request.GET or None, today=self.today)
        self.valid = self.form.is_valid() if request.GET else True
        if request.GET and self.valid:
            self.span = self.form.span()
            self.store = self._store(self.form.cleaned_data.get("store"))
        else:
            self.form = FilterForm({}, today=self.today)
            self.form.is_valid()
            self.span = self.form.span()
            self.store = None
        self.errors = [] if self.valid else self._errors(request)

    def _store(self, store_uuid: UUID | None) -> Store | None:
        if store_uuid is None:
            return None
        for store in self.stores:
            if store.uuid == store_uuid:
                return store
        raise Http404("No such store.")

    def _errors(self, request: HttpRequest) -> list[str]:
        form = FilterForm(request.GET, today=self.today)
        form.is_valid()
        return [str(message) for messages in form.errors.values() for message in messages]

    def params(self, **extra: object) -> dict[str, str]:
        params = {
            "date_from": self.span.date_from.isoformat(),
            "date_to": self.span.date_to.isoformat(),
        }
        if self.store is not None:
            params["store"] = str(self.store.uuid)
        params.update({key: str(value) for key, value in extra.items() if value is not None})
        return params

    def link(self, name: str, **extra: object) -> str:
        return f"{reverse(name)}?{urlencode(self.params(**extra))}"

    def context(self) -> dict[str, object]:
        return {
            "organisation": self.organisation,
            "currency": self.organisation.currency,
            "today": self.today,
            "stores": self.stores,
            "store": self.store,
            "span": self.span,
            "form": self.form,
            "filter_errors": self.errors,
            "date_from": self.span.date_from.isoformat(),
            "date_to": self.span.date_to.isoformat(),
        }


def page_status(page: PageContext) -> int:
    return 200 if page.valid else 400
