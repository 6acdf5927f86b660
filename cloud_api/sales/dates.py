"""The business day a moment belongs to: the date at the organisation's clock. Kept free of
the sales services so the analytics that those services ask to refresh can use it too."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime


def local_date(moment: datetime, time_zone: str) -> date:
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
