"""Serializer fields shared by the apps."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from rest_framework import serializers

from cloud_api.core.bounds import CENTS_MAX, FIRST_YEAR, LAST_YEAR

__all__ = ["CENTS_MAX", "BoundedDateTimeField", "NameField", "StrictIntegerField", "cents_field"]


class NameField(serializers.CharField):
    """A human name or label: any script and emoji, but no control characters."""

    def to_internal_value(self, data: str) -> str:
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

    def to_internal_value(self, data: float | int | str) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("strict", kind=type(data).__name__)
        return super().to_internal_value(data)


def cents_field(**kwargs: Any) -> StrictIntegerField:
    kwargs.setdefault("min_value", 0)
    kwargs.setdefault("max_value", CENTS_MAX)
    return StrictIntegerField(**kwargs)


class BoundedDateTimeField(serializers.DateTimeField):
    """A moment in the years a pushed event may carry (``bounds``): a typed year 1 or 9999
    is refused here instead of failing in the database or the calendar."""

    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        "years": f"Must be between the years {FIRST_YEAR} and {LAST_YEAR}.",
    }

    def to_internal_value(self, value: datetime | str) -> datetime:
        moment = super().to_internal_value(value)
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            self.fail("years")
        return moment
