"""The sync engine's storage: pulled catalog pages (with their cursor) and small sync state.

Every page is applied in one ``BEGIN IMMEDIATE`` transaction together with the new cursor, so a
crash or an error half-way leaves the catalog and the cursor as they were before the page.
Upserts are bulk ``INSERT ... ON CONFLICT DO UPDATE``: the FTS5 triggers keep product search
current in the same transaction, and a first pull of 100,000 products stays a few seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from asiria_desktop.local_db.customer_repos import apply_customers
from asiria_desktop.local_db.engine import writer
from asiria_desktop.local_db.event_repos import dump_json
from asiria_desktop.local_db.models import (
    BasketHint,
    Category,
    Product,
    Setting,
    StockLevel,
    SyncState,
    TaxClassRow,
    User,
)
from asiria_desktop.local_db.notice_repos import apply_notices
from asiria_desktop.ports.records import (
    STORE_SETTINGS_KEY,
    CategoryRecord,
    ProductRecord,
    UserRecord,
)
from asiria_desktop.ports.sync_store import (
    BasketHintRecord,
    CatalogChange,
    StockLevelRecord,
    StoreRecord,
    TaxClassRecord,
)

CURSOR_KEY = "pull.cursor"


class SqlSyncStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    # ----- small state ---------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        with Session(self._engine) as session:
            row = session.get(SyncState, key)
            return None if row is None else row.value

    def set_state(self, key: str, value: str | None) -> None:
        with Session(self._writer) as session, session.begin():
            if value is None:
                session.execute(delete(SyncState).where(SyncState.key == key))
            else:
                _put_state(session, key, value)

    def cursor(self) -> str:
        return self.get_state(CURSOR_KEY) or "0"

    # ----- pulled pages --------------------------------------------------------------------------

    def apply_page(self, changes: Sequence[CatalogChange], cursor: str) -> None:
        with Session(self._writer) as session, session.begin():
            # A child category or a product may come before its category in the same page.
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            for entity, group in _grouped(changes):
                _APPLY[entity](session, group)
            products = [c.id for c in changes if c.entity == "product" and c.record is not None]
            _drop_dangling_references(session, products)
            _put_state(session, CURSOR_KEY, cursor)

    def stock_level(self, product_id: str) -> StockLevelRecord | None:
        with Session(self._engine) as session:
            row = session.get(StockLevel, product_id)
            if row is None:
                return None
            return StockLevelRecord(
                row.product_id, row.on_hand_milli, row.low_stock_threshold_milli
            )

    def tax_classes(self) -> list[TaxClassRecord]:
        with Session(self._engine) as session:
            rows = session.scalars(select(TaxClassRow).order_by(TaxClassRow.code)).all()
            return [TaxClassRecord(r.id, r.code, r.name, r.rate_bp, r.inclusive) for r in rows]


def _put_state(session: Session, key: str, value: str) -> None:
    session.execute(
        insert(SyncState)
        .values(key=key, value=value)
        .on_conflict_do_update(index_elements=[SyncState.key], set_={"value": value})
    )


def _grouped(changes: Sequence[CatalogChange]) -> list[tuple[str, list[CatalogChange]]]:
    """Runs of the same entity, in page order (so a delete after an upsert still wins)."""
    groups: list[tuple[str, list[CatalogChange]]] = []
    for change in changes:
        if change.entity not in _APPLY:
            continue  # an entity a newer server knows and this till doesn't: ignore it
        if groups and groups[-1][0] == change.entity:
            groups[-1][1].append(change)
        else:
            groups.append((change.entity, [change]))
    return groups


def _upserts(changes: list[CatalogChange], kind: type[Any]) -> list[Any]:
    latest: dict[str, Any] = {}
    for change in changes:
        if isinstance(change.record, kind):
            latest[change.id] = change.record
        else:
            latest.pop(change.id, None)
    return list(latest.values())


def _deleted(changes: list[CatalogChange]) -> list[str]:
    last = {c.id: c for c in changes}
    return [i for i, c in last.items() if c.record is None]


def _apply_categories(session: Session, changes: list[CatalogChange]) -> None:
    records: list[CategoryRecord] = _upserts(changes, CategoryRecord)
    if records:
        stmt = insert(Category)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[Category.id],
                set_={"name": stmt.excluded.name, "parent_id": stmt.excluded.parent_id},
            ),
            [
                {"id": r.id, "name": r.name, "sort_order": r.sort_order, "parent_id": r.parent_id}
                for r in records
            ],
        )
    gone = _deleted(changes)
    if gone:
        session.execute(
            update(Product).where(Product.category_id.in_(gone)).values(category_id=None)
        )
        session.execute(update(Category).where(Category.parent_id.in_(gone)).values(parent_id=None))
        session.execute(delete(Category).where(Category.id.in_(gone)))


def _apply_products(session: Session, changes: list[CatalogChange]) -> None:
    records: list[ProductRecord] = _upserts(changes, ProductRecord)
    if records:
        by_barcode = {r.barcode: r for r in records if r.barcode}
        if by_barcode:
            # A barcode moves from one product to another: free it first (unique index).
            session.execute(
                update(Product).where(Product.barcode.in_(list(by_barcode))).values(barcode=None)
            )
        rows = [
            {
                "id": r.id,
                "name": r.name,
                "price_cents": r.price_cents,
                "tax_class": r.tax_class,
                # Two products of one page with the same barcode: the later one keeps it.
                "barcode": r.barcode if r.barcode and by_barcode[r.barcode] is r else None,
                "sku": r.sku,
                "sold_by_weight": r.sold_by_weight,
                "category_id": r.category_id,
                "active": r.active,
            }
            for r in records
        ]
        stmt = insert(Product)
        columns = ("name", "price_cents", "tax_class", "barcode", "sku", "sold_by_weight")
        set_ = {c: getattr(stmt.excluded, c) for c in (*columns, "category_id", "active")}
        session.execute(stmt.on_conflict_do_update(index_elements=[Product.id], set_=set_), rows)
    gone = _deleted(changes)
    if gone:
        # Past sales and refunds still name these products: hide them, never delete them.
        session.execute(
            update(Product).where(Product.id.in_(gone)).values(active=False, barcode=None)
        )


def _apply_users(session: Session, changes: list[CatalogChange]) -> None:
    records: list[UserRecord] = _upserts(changes, UserRecord)
    if records:
        stmt = insert(User)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[User.id],
                # The till's own lockout counters stay as they are.
                set_={
                    "name": stmt.excluded.name,
                    "role": stmt.excluded.role,
                    "pin_hash": stmt.excluded.pin_hash,
                    "active": stmt.excluded.active,
                },
            ),
            [
                {
                    "id": r.id,
                    "name": r.name,
                    "role": r.role,
                    "pin_hash": r.pin_hash,
                    "active": r.active,
                    "failed_attempts": 0,
                    "locked_until": None,
                }
                for r in records
            ],
        )
    gone = _deleted(changes)
    if gone:
        session.execute(update(User).where(User.id.in_(gone)).values(active=False))


def _apply_tax_classes(session: Session, changes: list[CatalogChange]) -> None:
    records: list[TaxClassRecord] = _upserts(changes, TaxClassRecord)
    for r in records:
        session.merge(
            TaxClassRow(id=r.id, code=r.code, name=r.name, rate_bp=r.rate_bp, inclusive=r.inclusive)
        )
    gone = _deleted(changes)
    if gone:
        session.execute(delete(TaxClassRow).where(TaxClassRow.id.in_(gone)))


def _apply_store(session: Session, changes: list[CatalogChange]) -> None:
    records: list[StoreRecord] = _upserts(changes, StoreRecord)
    for r in records:
        value = dump_json(
            {
                "id": r.id,
                "code": r.code,
                "name": r.name,
                "address": r.address,
                "tax_pin": r.tax_pin,
                "phone": r.phone,
                "receipt_footer": r.receipt_footer,
                "currency": r.currency,
                "time_zone": r.time_zone,
            }
        )
        session.merge(Setting(key=STORE_SETTINGS_KEY, value=value))


def _apply_stock_levels(session: Session, changes: list[CatalogChange]) -> None:
    records: list[StockLevelRecord] = _upserts(changes, StockLevelRecord)
    if records:
        stmt = insert(StockLevel)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[StockLevel.product_id],
                set_={
                    "on_hand_milli": stmt.excluded.on_hand_milli,
                    "low_stock_threshold_milli": stmt.excluded.low_stock_threshold_milli,
                },
            ),
            [
                {
                    "product_id": r.product_id,
                    "on_hand_milli": r.on_hand_milli,
                    "low_stock_threshold_milli": r.low_stock_threshold_milli,
                }
                for r in records
            ],
        )
    gone = _deleted(changes)
    if gone:
        session.execute(delete(StockLevel).where(StockLevel.product_id.in_(gone)))


def _apply_basket_hints(session: Session, changes: list[CatalogChange]) -> None:
    records: list[BasketHintRecord] = _upserts(changes, BasketHintRecord)
    if records:
        stmt = insert(BasketHint)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[BasketHint.product_id],
                set_={"companions": stmt.excluded.companions},
            ),
            [
                {
                    "product_id": r.product_id,
                    "companions": dump_json(
                        [
                            {
                                "product_id": c.product_id,
                                "name": c.name,
                                "confidence_bp": c.confidence_bp,
                                "lift_milli": c.lift_milli,
                            }
                            for c in r.companions
                        ]
                    ),
                }
                for r in records
            ],
        )
    gone = _deleted(changes)
    if gone:
        session.execute(delete(BasketHint).where(BasketHint.product_id.in_(gone)))


def _drop_dangling_references(session: Session, product_ids: list[str]) -> None:
    """A category the server never sent (not visible to this till): forget the link rather
    than fail the page at commit (foreign keys are checked then)."""
    known = select(Category.id)
    if product_ids:
        session.execute(
            update(Product)
            .where(
                Product.id.in_(product_ids),
                Product.category_id.is_not(None),
                Product.category_id.not_in(known),
            )
            .values(category_id=None)
        )
    session.execute(
        update(Category)
        .where(Category.parent_id.is_not(None), Category.parent_id.not_in(known))
        .values(parent_id=None)
    )


_APPLY = {
    "tax_class": _apply_tax_classes,
    "category": _apply_categories,
    "product": _apply_products,
    "user": _apply_users,
    "store": _apply_store,
    "stock_level": _apply_stock_levels,
    "basket_hint": _apply_basket_hints,
    "notice": apply_notices,
    "customer": apply_customers,
}
