"""Serializer fields shared by the apps."""

from __future__ import annotations

import unicodedata

from rest_framework import serializers

# The contract's ceiling for one amount (1e11 cents = 1 billion shillings).
CENTS_MAX = 100_000_000_000


class NameField(serializers.CharField):
    """A human name or label: any script and emoji, but no control characters."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if any(unicodedata.category(char) in {"Cc", "Cs"} for char in value):
            raise serializers.ValidationError("Names may not contain control characters.")
        return value


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer and nothing else: money and counts never arrive as "80.00" or 80.0."""

    default_error_messages = {
        **serializers.IntegerField.default_error_messages,
        "strict": "Must be a JSON integer (whole cents or units), not {kind}.",
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("strict", kind=type(data).__name__)
        return super().to_internal_value(data)


def cents_field(**kwargs) -> StrictIntegerField:
    kwargs.setdefault("min_value", 0)
    kwargs.setdefault("max_value", CENTS_MAX)
    return StrictIntegerField(**kwargs)
