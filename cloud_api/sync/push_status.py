"""The answer a push gives for each event (the sync contract's ``results[].status``)."""

from __future__ import annotations

from enum import StrEnum


class PushStatus(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


APPLIED, DUPLICATE, REJECTED = PushStatus.APPLIED, PushStatus.DUPLICATE, PushStatus.REJECTED
