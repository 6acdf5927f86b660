"""The admin's sign-in form, saying so when the failed-sign-in guard holds the account.

The guard itself sits in the authentication backend; this form only words its answer. It is
installed on whichever admin site serves ``admin:login`` (see ``AccountsConfig.ready``), so the
admin's path can change without touching this.
"""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from cloud_api.accounts.backends import locked_seconds


class GuardedAdminAuthenticationForm(AdminAuthenticationForm):
    def get_invalid_login_error(self) -> ValidationError:
        wait = locked_seconds(self.request)
        if wait:
            minutes = max(1, -(-wait // 60))
            return ValidationError(
                "Too many failed sign-ins for this email. Try again in %(minutes)d min.",
                code="locked",
                params={"minutes": minutes},
            )
        return super().get_invalid_login_error()
