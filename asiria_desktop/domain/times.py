"""Time helpers shared by the domain: every business time is timezone-aware."""

from __future__ import annotations

from datetime import datetime


def require_aware(moment: datetime, what: str = "time") -> datetime:
    """Return ``moment`` unchanged, or fail loudly on a naive datetime (a programming error)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {moment!r}")
    return moment


def rfc3339(moment: datetime) -> str:
    """RFC 3339 with an explicit offset, e.g. ``2026-11-24T13:05:42+03:00``.

    Whole seconds unless the time has a fraction, then milliseconds: enough for people and for the
    cloud, and stable across platforms.
    """
    require_aware(moment)
    spec = "milliseconds" if moment.microsecond else "seconds"
    return moment.isoformat(timespec=spec)


def parse_rfc3339(text: str) -> datetime:
    """Inverse of :func:`rfc3339` (accepts a trailing ``Z``); the result is always aware."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return require_aware(value)
