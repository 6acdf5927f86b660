from __future__ import annotations

from rest_framework import serializers

from cloud_api.accounts.models import Organisation, Role, Store, Terminal, User


class OrganisationOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "time_zone", "currency", "created_at", "updated_at"]


class OrganisationUpdateIn(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    time_zone = serializers.CharField(max_length=64, required=False)


class StoreOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Store
        fields = [
            "id",
            "name",
            "code",
            "address",
            "tax_pin",
            "phone",
            "receipt_footer",
            "active",
            "created_at",
            "updated_at",
        ]


class StoreIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    code = serializers.RegexField(r"^[A-Za-z0-9]{1,8}$", required=False, default="")
    address = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    tax_pin = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    receipt_footer = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )


class StoreUpdateIn(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    tax_pin = serializers.CharField(max_length=32, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    receipt_footer = serializers.CharField(max_length=200, required=False, allow_blank=True)


class UserOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    store_id = serializers.UUIDField(source="store.uuid", read_only=True, allow_null=True)
    has_pin = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "name", "email", "role", "store_id", "is_active", "has_pin", "date_joined"]

    def get_has_pin(self, obj: User) -> bool:
        return bool(obj.pin_hash)


class UserIn(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices)
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    password = serializers.CharField(min_length=8, max_length=128, write_only=True)
    pin = serializers.RegexField(r"^[0-9]{4,8}$", required=False, allow_null=True, default=None)


class UserUpdateIn(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False)
    password = serializers.CharField(min_length=8, max_length=128, required=False)
    current_password = serializers.CharField(
        max_length=128,
        required=False,
        trim_whitespace=False,
        help_text="Required with `password` when you change your own password.",
    )
    pin = serializers.RegexField(r"^[0-9]{4,8}$", required=False)
    is_active = serializers.BooleanField(required=False)


class TerminalOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    store_id = serializers.UUIDField(source="store.uuid", read_only=True)

    class Meta:
        model = Terminal
        fields = [
            "id",
            "store_id",
            "name",
            "code",
            "status",
            "enrollment_expires_at",
            "enrolled_at",
            "revoked_at",
            "last_push_at",
            "last_pull_at",
            "app_version",
            "unsent_count",
            "created_at",
        ]


class TerminalIn(serializers.Serializer):
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=100)


class TerminalCreatedOut(serializers.Serializer):
    id = serializers.UUIDField()
    store_id = serializers.UUIDField()
    name = serializers.CharField()
    code = serializers.CharField(help_text="Terminal code used in receipt numbers (T02).")
    enrollment_code = serializers.CharField()
    expires_at = serializers.DateTimeField()


class EnrollIn(serializers.Serializer):
    code = serializers.CharField(min_length=1, max_length=64)
    name = serializers.CharField(min_length=1, max_length=100)


class EnrollOut(serializers.Serializer):
    terminal_id = serializers.UUIDField()
    store_id = serializers.UUIDField()
    client_id = serializers.CharField()
    client_secret = serializers.CharField()
    # v1 additions the till uses for receipt numbers and its settings (docs/design/sync.md).
    store_code = serializers.CharField()
    terminal_code = serializers.CharField()
    store_name = serializers.CharField()
    currency = serializers.CharField()
    time_zone = serializers.CharField()


class LogoutIn(serializers.Serializer):
    refresh = serializers.CharField()
