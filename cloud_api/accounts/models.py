"""Organisations, stores, users (email login, roles, till PIN) and terminals."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from uuid6 import uuid7

from cloud_api.core.models import UUIDModel


class Organisation(UUIDModel):
    name = models.CharField(max_length=120, unique=True)
    time_zone = models.CharField(max_length=64, default="Africa/Nairobi")
    currency = models.CharField(max_length=3, default="KES")
    # ISO country whose public holidays shape demand forecasts (the `holidays` package).
    holiday_country = models.CharField(max_length=2, default="KE")

    def __str__(self) -> str:
        return self.name


class Store(UUIDModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="stores")
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=8, help_text="Short code used in receipt numbers (S01).")
    address = models.CharField(max_length=255, blank=True, default="")
    # Printed on every receipt: Kenyan law wants the seller's KRA PIN on a tax receipt.
    tax_pin = models.CharField(max_length=32, blank=True, default="")
    phone = models.CharField(max_length=32, blank=True, default="")
    receipt_footer = models.CharField(max_length=200, blank=True, default="")
    active = models.BooleanField(default=True)
    # The last number of the store's series for sales people enter through the API
    # (S01-W-000001...): tills number their own sales, each under its own prefix.
    people_receipt_seq = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="store_name_per_org"),
            models.UniqueConstraint(fields=["organisation", "code"], name="store_code_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    CASHIER = "cashier", "Cashier"
    HEAD_OFFICE = "head_office", "Head office"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Seed "Users": UserID -> uuid, Name, Email, Role, PasswordHash -> password (argon2)."""

    uuid = models.UUIDField(default=uuid7, unique=True, editable=False)
    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=16, choices=Role.choices, blank=True, default="")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    store = models.ForeignKey(
        Store, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    # argon2id PHC string, verifiable offline by the till (see accounts/pins.py).
    pin_hash = models.CharField(max_length=255, blank=True, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May log in to the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    def __str__(self) -> str:
        return self.email

    def get_short_name(self) -> str:
        """How the admin greets the person: their name, the e-mail only when there is none."""
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email


class Terminal(UUIDModel):
    """A till. Enrolment trades a one-time code for a confidential OAuth2 client."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="terminals")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=8, help_text="Short code used in receipt numbers (T01).")
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="terminal",
    )
    # Only a hash of the enrolment code is kept; the code itself is shown once.
    enrollment_code_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    enrollment_expires_at = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The cursor this till last sent to GET /sync/pull/ (everything up to it is applied on
    # the till): change-log compaction keeps tombstones it may still need. NULL: never pulled.
    last_pull_cursor = models.BigIntegerField(null=True, blank=True)
    last_pull_at = models.DateTimeField(null=True, blank=True)
    # When this till last pushed events: with last_pull_at, head office sees a till gone quiet.
    last_push_at = models.DateTimeField(null=True, blank=True)
    # What the till said about itself with its last push (optional ``client`` of the push
    # request): which version it runs and how many events it still had to send.
    app_version = models.CharField(max_length=40, blank=True, default="")
    unsent_count = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "code"], name="terminal_code_per_store"),
        ]

    def clean(self) -> None:
        super().clean()
        # "W" numbers the sales people enter through the API (cloud_api.sales.receipts).
        if self.code.upper() == "W":
            raise ValidationError({"code": "W is kept for sales entered through the API."})

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.enrolled_at:
            return "enrolled"
        if self.enrollment_expires_at and self.enrollment_expires_at < timezone.now():
            return "code_expired"
        return "pending"

    def __str__(self) -> str:
        return f"{self.name} ({self.store.code}-{self.code})"


from cloud_api.accounts.passkeys.models import Passkey  # noqa: E402  (registers the model)

__all__ = ["Organisation", "Passkey", "Role", "Store", "Terminal", "User", "UserManager"]
