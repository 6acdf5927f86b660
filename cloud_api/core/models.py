"""Shared model bases: server rows keep an auto-increment key; the wire name is a UUID."""

from __future__ import annotations

from django.db import models
from uuid6 import uuid7


class UUIDModel(models.Model):
    """``uuid`` is the public id (the till's UUIDv7 for till-created rows)."""

    uuid = models.UUIDField(default=uuid7, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
