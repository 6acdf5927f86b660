"""The dashboard's forms: sign-in (through the guarded backend) and the page filters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from cloud_api.accounts.backends import locked_seconds
from cloud_api.accounts.models import User
from cloud_api.dashboard.access import dashboard_principal
from cloud_api.dashboard.periods import Span

MAX_DAYS = 366
DEFAULT_DAYS = 30


class DashboardLoginForm(AuthenticationForm):
    """Django's sign-in form: ``authenticate`` runs the failed-sign-in guard
    (``GuardedModelBackend``); a held account is told how long to wait."""

    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. Check both and "
        "try again.",
        "no_dashboard": "This account cannot open the head-office dashboard. Owners, head "
        "office and store managers can.",
    }

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if dashboard_principal(user) is None:
            raise ValidationError(self.error_messages["no_dashboard"], code="no_dashboard")

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


class FilterForm(forms.Form):
    """Store and dates of a page; the period defaults to the last 30 days to today."""

    store = forms.UUIDField(required=False)
    date_from = forms.DateField(required=False, label="From")
    date_to = forms.DateField(required=False, label="To")

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        date_to = data.get("date_to") or self.today
        date_from = data.get("date_from") or date_to - timedelta(days=DEFAULT_DAYS - 1)
        if date_from > date_to:
            raise ValidationError("The start date is after the end date.")
        if (date_to - date_from).days >= MAX_DAYS:
            raise ValidationError(f"Choose at most {MAX_DAYS} days at once.")
        data["date_from"], data["date_to"] = date_from, date_to
        return data

    def span(self) -> Span:
        return Span(self.cleaned_data["date_from"], self.cleaned_data["date_to"])
