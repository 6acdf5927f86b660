"""Catalog and account repositories: products (barcode index + FTS5 search), categories, users."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from asiria_desktop.local_db.event_repos import dbapi_cursor
from asiria_desktop.local_db.models import Category, Product, User
from asiria_desktop.ports.records import CategoryRecord, ProductRecord, UserRecord

_WORD = re.compile(r"\w+", re.UNICODE)
SEARCH_WINDOW = 200
# The columns of a ``ProductRecord``, in ``_product_tuple``'s order (plain reads, no ORM).
_PRODUCT_COLUMNS = (
    "products.id, products.name, products.price_cents, products.tax_class, products.barcode, "
    "products.sku, products.sold_by_weight, products.category_id, products.active"
)
# Not injectable (bandit's B608 below): the statements join constant column lists and column
# names written here; every value a cashier types goes in as a "?" parameter.
_BY_CODE = f"SELECT {_PRODUCT_COLUMNS} FROM products WHERE {{column}} = ? AND active = 1 LIMIT 1"  # nosec B608
_BY_BARCODE = _BY_CODE.format(column="barcode")
_BY_SKU = _BY_CODE.format(column="sku")
_BY_ID = f"SELECT {_PRODUCT_COLUMNS} FROM products WHERE id = ? LIMIT 1"  # nosec B608
# The first few hundred FTS matches in index order (cheap even when "s" matches half the
# catalog), then names that start with what was typed first, alphabetically (Python's
# ``str.lower``, registered on each connection by ``engine.py`` as ``py_lower``, so the order
# is exactly the one Python would give), ties in catalog order. Ranking every match with bm25
# would cost tens of ms on 100,000 products.
_SEARCH = (
    f"SELECT {_PRODUCT_COLUMNS} FROM (SELECT rowid FROM products_fts "  # nosec B608
    "WHERE products_fts MATCH ?1 LIMIT ?2) AS m "
    "JOIN products ON products.pk = m.rowid WHERE products.active = 1 "
    "ORDER BY substr(py_lower(products.name), 1, length(?3)) != ?3, "
    "py_lower(products.name), products.pk LIMIT ?4"
)


def _product(row: Product) -> ProductRecord:
    return ProductRecord(
        id=row.id,
        name=row.name,
        price_cents=row.price_cents,
        tax_class=row.tax_class,
        barcode=row.barcode,
        sku=row.sku,
        sold_by_weight=row.sold_by_weight,
        category_id=row.category_id,
        active=row.active,
    )


def _product_tuple(row: tuple[Any, ...]) -> ProductRecord:
    return ProductRecord(
        id=row[0],
        name=row[1],
        price_cents=row[2],
        tax_class=row[3],
        barcode=row[4],
        sku=row[5],
        sold_by_weight=bool(row[6]),
        category_id=row[7],
        active=bool(row[8]),
    )


def _product_values(record: ProductRecord) -> dict[str, object]:
    return {
        "id": record.id,
        "name": record.name,
        "price_cents": record.price_cents,
        "tax_class": record.tax_class,
        "barcode": record.barcode,
        "sku": record.sku,
        "sold_by_weight": record.sold_by_weight,
        "category_id": record.category_id,
        "active": record.active,
    }


def fts_prefix_query(text_: str) -> str | None:
    """``"sug bro"`` -> ``"sug"* "bro"*``: every word must start a word of the name."""
    words = _WORD.findall(text_.lower())
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


class SqlProductRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def by_lookup_code(self, code: str) -> ProductRecord | None:
        # Plain statements: this is the scan path (the lookup itself is ~0.01 ms in SQLite).
        cursor = dbapi_cursor(self._s)
        row = cursor.execute(_BY_BARCODE, (code,)).fetchone()
        if row is None:
            row = cursor.execute(_BY_SKU, (code,)).fetchone()
        return None if row is None else _product_tuple(row)

    def get(self, product_id: str) -> ProductRecord | None:
        row = dbapi_cursor(self._s).execute(_BY_ID, (product_id,)).fetchone()
        return None if row is None else _product_tuple(row)

    def search(self, text_: str, limit: int = 20) -> list[ProductRecord]:
        found: list[ProductRecord] = []
        exact = self.by_lookup_code(text_.strip()) if text_.strip() else None
        if exact is not None:
            found.append(exact)
        query = fts_prefix_query(text_)
        if query is None:
            return found
        typed = " ".join(text_.lower().split())
        rows = (
            dbapi_cursor(self._s)
            .execute(_SEARCH, (query, max(limit * 10, SEARCH_WINDOW), typed, limit + len(found)))
            .fetchall()
        )
        seen = {p.id for p in found}
        found.extend(_product_tuple(r) for r in rows if r[0] not in seen)
        return found[:limit]

    def in_category(self, category_id: str, limit: int = 200) -> list[ProductRecord]:
        rows = self._s.scalars(
            select(Product)
            .where(Product.category_id == category_id, Product.active.is_(True))
            .order_by(Product.name)
            .limit(limit)
        ).all()
        return [_product(r) for r in rows]

    def categories(self) -> list[CategoryRecord]:
        rows = self._s.scalars(select(Category).order_by(Category.sort_order, Category.name)).all()
        return [CategoryRecord(r.id, r.name, r.sort_order, r.parent_id) for r in rows]

    def add(self, record: ProductRecord) -> None:
        self._s.execute(insert(Product).values(**_product_values(record)))

    def add_many(self, records: list[ProductRecord]) -> None:
        if records:
            self._s.execute(insert(Product), [_product_values(r) for r in records])

    def add_category(self, record: CategoryRecord) -> None:
        self._s.add(
            Category(
                id=record.id,
                name=record.name,
                sort_order=record.sort_order,
                parent_id=record.parent_id,
            )
        )
        self._s.flush()

    def count(self) -> int:
        return int(self._s.scalar(select(func.count()).select_from(Product)) or 0)


def _user(row: User) -> UserRecord:
    return UserRecord(
        id=row.id,
        name=row.name,
        role=row.role,
        pin_hash=row.pin_hash,
        active=row.active,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
    )


class SqlUserRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, user_id: str) -> UserRecord | None:
        row = self._s.get(User, user_id)
        return None if row is None else _user(row)

    def active(self) -> list[UserRecord]:
        rows = self._s.scalars(select(User).where(User.active.is_(True)).order_by(User.name)).all()
        return [_user(r) for r in rows]

    def add(self, record: UserRecord) -> None:
        self._s.add(
            User(
                id=record.id,
                name=record.name,
                role=record.role,
                pin_hash=record.pin_hash,
                active=record.active,
                failed_attempts=record.failed_attempts,
                locked_until=record.locked_until,
            )
        )
        self._s.flush()

    def set_failures(
        self, user_id: str, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        self._s.execute(
            update(User)
            .where(User.id == user_id)
            .values(failed_attempts=failed_attempts, locked_until=locked_until)
        )

    def set_pin_hash(self, user_id: str, pin_hash: str) -> None:
        self._s.execute(update(User).where(User.id == user_id).values(pin_hash=pin_hash))
