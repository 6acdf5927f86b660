"""The periods the dashboard compares: today, this week and this month so far, each against
the same stretch of the period before (yesterday; last week up to the same weekday; last
month up to the same day). Dates are the organisation's local calendar dates."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class Span:
    date_from: date
    date_to: date

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


@dataclass(frozen=True)
class Comparison:
    label: str
    current: Span
    previous: Span
    previous_label: str


def local_today(time_zone: str, now: datetime | None = None) -> date:
    moment = now or datetime.now(zoneinfo.ZoneInfo("UTC"))
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def _month_back(day: date) -> date:
    """The same day of the month before, or that month's last day when it is shorter."""
    first = day.replace(day=1)
    last_of_previous = first - timedelta(days=1)
    return last_of_previous.replace(day=min(day.day, last_of_previous.day))


def comparisons(today: date) -> list[Comparison]:
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    previous_month_start = (month_start - timedelta(days=1)).replace(day=1)
    return [
        Comparison(
            "Today",
            Span(today, today),
            Span(today - timedelta(days=1), today - timedelta(days=1)),
            "yesterday",
        ),
        Comparison(
            "This week",
            Span(week_start, today),
            Span(week_start - timedelta(days=7), today - timedelta(days=7)),
            "the same days last week",
        ),
        Comparison(
            "This month",
            Span(month_start, today),
            Span(previous_month_start, _month_back(today)),
            "the same days last month",
        ),
    ]


def every_day(span: Span) -> list[date]:
    return [span.date_from + timedelta(days=offset) for offset in range(span.days)]
