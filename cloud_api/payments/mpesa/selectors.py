from __future__ import annotations

from django.db.models import QuerySet

from cloud_api.accounts.models import Store
from cloud_api.core.principal import Principal
from cloud_api.payments.models import MpesaStkAttempt


def stk_attempt_list(*, principal: Principal) -> QuerySet[MpesaStkAttempt]:
    attempts = MpesaStkAttempt.objects.filter(organisation_id=principal.organisation_id)
    return principal.scope_stores(attempts, "store_id").select_related("store")


def stores_for(*, principal: Principal) -> QuerySet[Store]:
    stores = Store.objects.filter(organisation_id=principal.organisation_id)
    return principal.scope_stores(stores, "id")
