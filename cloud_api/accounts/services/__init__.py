"""Writes for organisations, stores, people and terminals, one module per kind."""

from cloud_api.accounts.services.organisations import (
    organisation_bootstrap,
    organisation_create,
    organisation_update,
    store_create,
    store_update,
)
from cloud_api.accounts.services.people import user_create, user_sessions_end, user_update
from cloud_api.accounts.services.terminals import (
    enrollment_code_hash,
    terminal_create,
    terminal_enroll,
    terminal_new_code,
    terminal_revoke,
)

__all__ = [
    "enrollment_code_hash",
    "organisation_bootstrap",
    "organisation_create",
    "organisation_update",
    "store_create",
    "store_update",
    "terminal_create",
    "terminal_enroll",
    "terminal_new_code",
    "terminal_revoke",
    "user_create",
    "user_sessions_end",
    "user_update",
]
