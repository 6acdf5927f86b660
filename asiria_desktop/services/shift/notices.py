"""The managers' notices panel: what head office flagged for this store, read or not.

Notices are for managers and owners (a cashier sees none and no count). "Read" on the till is
honest about what the till knows: a notice is read for a person when they opened it on this
till, or when head office says they read it in their inbox (as of the last pull). Opening one
here also tells head office, through the outbox, so their inbox agrees once the till syncs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from asiria_desktop.domain.permissions import Role
from asiria_desktop.ports.notices import NoticeStore, StoredNotice
from asiria_desktop.services.context import TillContext

PANEL_LIMIT = 200
READER_ROLES = frozenset({Role.MANAGER.value, Role.OWNER.value})
AUDIENCES_BY_ROLE = {Role.MANAGER.value: ("managers",), Role.OWNER.value: ("managers",)}

KIND_TITLES = {
    "low_stock": "Low stock",
    "oversell": "Sold more than in stock",
    "price_mismatch": "Price differs from head office",
    "tax_mismatch": "VAT differs from the tax classes",
    "refund_mismatch": "Refund does not match the sale",
    "sync_rejected": "Not accepted by head office",
    "sync_sequence": "Till records missing",
    "clock_skew": "Till clock is wrong",
    "terminal_silent": "Till not heard from",
    "daily_summary": "Daily summary",
    "mpesa_unverified": "M-Pesa code not confirmed",
    "mpesa_mismatch": "M-Pesa code does not match",
    "mpesa_failed": "M-Pesa payment failed",
}


@dataclass(frozen=True)
class NoticeLine:
    id: str
    title: str
    message: str
    when: str  # the till's local time, e.g. "5 Dec 19:45"
    unread: bool


@dataclass(frozen=True)
class NoticeBoard:
    lines: tuple[NoticeLine, ...]
    unread: int
    allowed: bool  # False for a cashier (or nobody signed in): no panel, no badge


def title_for(kind: str) -> str:
    return KIND_TITLES.get(kind) or kind.replace("_", " ").capitalize() or "Notice"


def _when(created_at: str) -> str:
    try:
        moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment.day} {moment:%b %H:%M}"


class NoticeService:
    def __init__(self, ctx: TillContext, store: NoticeStore) -> None:
        self._ctx = ctx
        self._store = store

    def board(self) -> NoticeBoard:
        """The signed-in person's notices, newest first (empty and not allowed for cashiers)."""
        cashier = self._ctx.cashier
        if cashier is None or cashier.role not in READER_ROLES:
            return NoticeBoard((), 0, False)
        stored = self._store.notices_for(
            cashier.user_id, AUDIENCES_BY_ROLE[cashier.role], PANEL_LIMIT
        )
        lines = tuple(self._line(notice, cashier.user_id) for notice in stored)
        return NoticeBoard(lines, sum(1 for line in lines if line.unread), True)

    def unread_count(self) -> int:
        return self.board().unread

    def mark_read(self, notice_ids: list[str]) -> int:
        """The signed-in manager or owner has read these; cashiers cannot mark anything."""
        cashier = self._ctx.cashier
        if cashier is None or cashier.role not in READER_ROLES or not notice_ids:
            return 0
        marked = self._store.mark_seen(cashier.user_id, notice_ids, self._ctx.clock.now())
        if marked:
            self._ctx.events_committed()  # head office hears of it at the next push
        return marked

    @staticmethod
    def _line(notice: StoredNotice, user_id: str) -> NoticeLine:
        record = notice.record
        unread = not notice.seen_here and user_id not in record.read_by
        return NoticeLine(
            record.id, title_for(record.kind), record.message, _when(record.created_at), unread
        )
