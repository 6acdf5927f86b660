"""What head office is told about a till's push: records it refused for the first time,
event numbers the till skipped or reused, and a clock that looks wrong."""

from __future__ import annotations

import logging
from datetime import timedelta
from itertools import islice

from django.core.cache import cache

from cloud_api.notifications.services import notification_notify_store
from cloud_api.sync.models import SyncRejection
from cloud_api.sync.push_batch import PushContext

log = logging.getLogger(__name__)

SKEW_LIMIT = timedelta(minutes=5)
SKEW_NOTICE_EVERY_S = 3600  # one "clock is off" notification per till per hour at most


def notify_new_rejections(context: PushContext, new: list[SyncRejection]) -> None:
    """Records head office refused for the first time (a retry of the same record is not news)."""
    if not new:
        return
    terminal = context.terminal
    reason = new[0].error if len(new[0].error) <= 120 else new[0].error[:119] + "…"
    records = "1 record" if len(new) == 1 else f"{len(new)} records"
    notification_notify_store(
        store=terminal.store,
        kind="sync_rejected",
        message=(
            f"Till {terminal.name} ({terminal.code}): head office refused {records} it sent "
            f"({reason}). The till keeps them; check its sync screen."
        ),
        data={"terminal_id": str(terminal.uuid), "event_ids": [str(row.uuid) for row in new][:20]},
    )


def notify_sequence_trouble(context: PushContext, gaps: list[range], went_back: list[int]) -> None:
    """Numbers the till skipped, or reused, that no rejection explains: the till may have lost
    events (its database restored from a backup, replaced, or tampered with). A rejected
    event leaves a hole until it is fixed and sent again: that is not news."""
    terminal = context.terminal
    low = min([gap.start for gap in gaps] + went_back)
    high = max([gap.stop for gap in gaps] + [seq + 1 for seq in went_back])
    explained = set(
        SyncRejection.objects.filter(terminal=terminal, seq__gte=low, seq__lt=high).values_list(
            "seq", flat=True
        )
    )
    # Counted by ranges: a till that jumped a billion numbers must not make a billion-item list.
    missing_count = sum(len(gap) for gap in gaps) - sum(
        1 for seq in explained if any(seq in gap for gap in gaps)
    )
    missing = list(islice((seq for gap in gaps for seq in gap if seq not in explained), 100))
    reused = [seq for seq in went_back if seq not in explained]
    if not (missing_count or reused):
        return
    if reused:
        log.warning("terminal %s: event numbers %s reused", terminal.uuid, reused[:10])
    if missing_count:
        log.warning(
            "terminal %s: %d events missing (%s)", terminal.uuid, missing_count, missing[:10]
        )
    if not cache.add(f"sync:sequence-notice:{terminal.pk}", 1, SKEW_NOTICE_EVERY_S):
        return
    parts = []
    if missing_count:
        parts.append(
            f"{missing_count} of its events never reached head office "
            f"(numbers {_numbers(missing, len(missing) == missing_count)})"
        )
    if reused:
        parts.append(f"it numbered new events {_numbers(reused)} again")
    notification_notify_store(
        store=terminal.store,
        kind="sync_sequence",
        message=(
            f"Till {terminal.name} ({terminal.code}): {' and '.join(parts)}. It may have lost "
            "sales (a restored backup or a replaced disk?). Check the till's sync screen and "
            "its receipts."
        ),
        data={
            "terminal_id": str(terminal.uuid),
            "missing_count": missing_count,
            "missing": missing,
            "reused": reused[:100],
        },
    )


def _numbers(seqs: list[int], complete: bool = True) -> str:
    """1, 2, 3, 7 -> "1-3, 7" (at most five runs)."""
    runs: list[list[int]] = []
    for seq in sorted(set(seqs)):
        if runs and seq == runs[-1][1] + 1:
            runs[-1][1] = seq
        else:
            runs.append([seq, seq])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs[:5])
    return text + (", ..." if len(runs) > 5 or complete is False else "")


def notify_skew(context: PushContext, skew_seconds: int) -> None:
    """Judged on the newest event of the batch: older ones may just have waited offline."""
    if abs(skew_seconds) <= SKEW_LIMIT.total_seconds():
        return
    terminal = context.terminal
    if not cache.add(f"sync:skew-notice:{terminal.pk}", 1, SKEW_NOTICE_EVERY_S):
        return
    minutes = round(skew_seconds / 60)
    direction = "behind" if minutes > 0 else "ahead of"
    notification_notify_store(
        store=terminal.store,
        kind="clock_skew",
        message=(
            f"Till {terminal.name} ({terminal.code}): its clock looks {abs(minutes)} minutes "
            f"{direction} the server's (or it was offline that long). Sales keep the till's "
            "times; please check its date and time."
        ),
        data={"terminal_id": str(terminal.uuid), "skew_seconds": skew_seconds},
    )
