"""Store notices on the till: applied from pulled pages, listed for the managers' panel, and
marked seen (with the ``notice.read`` event for head office in the same transaction)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from asiria_desktop.domain.times import rfc3339
from asiria_desktop.local_db.engine import writer
from asiria_desktop.local_db.event_repos import SqlOutboxRepository, SqlSequenceRepository
from asiria_desktop.local_db.models import Notice, NoticeSeen
from asiria_desktop.ports.ids import IdFactory
from asiria_desktop.ports.notices import NoticeRecord, StoredNotice
from asiria_desktop.ports.sync_store import CatalogChange

NOTICE_READ_EVENT = "notice.read"
# The cloud serves a month of notices; the till keeps as much, measured on the cloud's clock
# (the newest notice it holds), so a till whose own clock is wrong keeps the right ones.
KEEP_FOR = timedelta(days=30)


def apply_notices(session: Session, changes: list[CatalogChange]) -> None:
    """Upsert and delete pulled notices in page order (the last change of an id wins)."""
    latest: dict[str, NoticeRecord | None] = {}
    for change in changes:
        latest[change.id] = change.record if isinstance(change.record, NoticeRecord) else None
    records = [record for record in latest.values() if record is not None]
    if records:
        stmt = insert(Notice)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[Notice.id],
                set_={
                    "kind": stmt.excluded.kind,
                    "message": stmt.excluded.message,
                    "created_at": stmt.excluded.created_at,
                    "audience": stmt.excluded.audience,
                    "read_by": stmt.excluded.read_by,
                },
            ),
            [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "message": r.message,
                    "created_at": r.created_at,
                    "audience": r.audience,
                    "read_by": json.dumps(list(r.read_by)),
                }
                for r in records
            ],
        )
    gone = [notice_id for notice_id, record in latest.items() if record is None]
    if records:
        gone += _older_than_a_month(session)
    if gone:
        session.execute(delete(NoticeSeen).where(NoticeSeen.notice_id.in_(gone)))
        session.execute(delete(Notice).where(Notice.id.in_(gone)))


def _older_than_a_month(session: Session) -> list[str]:
    """Notices created more than ``KEEP_FOR`` before the newest one this till holds."""
    moments: list[tuple[str, datetime]] = []
    for notice_id, created_at in session.execute(select(Notice.id, Notice.created_at)):
        moment = _parsed(created_at)
        if moment is not None:
            moments.append((notice_id, moment))
    if not moments:
        return []
    oldest_kept = max(moment for _id, moment in moments) - KEEP_FOR
    return [notice_id for notice_id, moment in moments if moment < oldest_kept]


def _parsed(created_at: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class SqlNoticeStore:
    def __init__(self, engine: Engine, ids: IdFactory) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._ids = ids

    def notices_for(self, user_id: str, audiences: Sequence[str], limit: int) -> list[StoredNotice]:
        seen = select(NoticeSeen.notice_id).where(NoticeSeen.user_id == user_id)
        with Session(self._engine) as session:
            rows = session.execute(
                select(Notice, Notice.id.in_(seen))
                .where(Notice.audience.in_(list(audiences)))
                .order_by(Notice.created_at.desc(), Notice.id.desc())
                .limit(limit)
            ).all()
            return [StoredNotice(_record(row), bool(seen_here)) for row, seen_here in rows]

    def mark_seen(self, user_id: str, notice_ids: Sequence[str], at: datetime) -> int:
        with Session(self._writer) as session, session.begin():
            known = set(session.scalars(select(Notice.id).where(Notice.id.in_(notice_ids))))
            already = set(
                session.scalars(
                    select(NoticeSeen.notice_id).where(
                        NoticeSeen.user_id == user_id, NoticeSeen.notice_id.in_(notice_ids)
                    )
                )
            )
            new = [notice_id for notice_id in dict.fromkeys(notice_ids) if notice_id in known]
            new = [notice_id for notice_id in new if notice_id not in already]
            if not new:
                return 0
            session.add_all(NoticeSeen(notice_id=n, user_id=user_id, seen_at=at) for n in new)
            session.flush()
            outbox = SqlOutboxRepository(session, self._ids, SqlSequenceRepository(session))
            for notice_id in new:
                outbox.append(
                    NOTICE_READ_EVENT,
                    {
                        "id": self._ids(),
                        "notice_id": notice_id,
                        "reader_id": user_id,
                        "read_at": rfc3339(at),
                    },
                    at,
                )
            return len(new)


def _record(row: Notice) -> NoticeRecord:
    try:
        read_by = tuple(str(user) for user in json.loads(row.read_by))
    except (TypeError, ValueError):
        read_by = ()
    return NoticeRecord(row.id, row.kind, row.message, row.created_at, row.audience, read_by)
