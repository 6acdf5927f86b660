"""What the sync engine needs from the till's database, besides the outbox.

``apply_page`` writes one page of pulled changes AND the new cursor in one local transaction, so
a crash in the middle of a page leaves both as they were (docs/design/sync.md, Pull).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from asiria_desktop.ports.notices import NoticeRecord
from asiria_desktop.ports.records import CategoryRecord, CustomerRecord, ProductRecord, UserRecord


@dataclass(frozen=True)
class TaxClassRecord:
    id: str
    code: str
    name: str
    rate_bp: int
    inclusive: bool


@dataclass(frozen=True)
class StoreRecord:
    id: str
    code: str
    name: str
    address: str = ""
    tax_pin: str = ""
    phone: str = ""
    receipt_footer: str = ""
    currency: str = "KES"
    time_zone: str = ""


@dataclass(frozen=True)
class StockLevelRecord:
    product_id: str
    on_hand_milli: int
    low_stock_threshold_milli: int | None = None


@dataclass(frozen=True)
class BasketCompanion:
    """A product often bought with another, as head office mined it from the store's sales."""

    product_id: str
    name: str
    confidence_bp: int  # of the sales with the other product, how many (x 10,000) had this
    lift_milli: int  # how much likelier than in any sale (x 1000)


@dataclass(frozen=True)
class BasketHintRecord:
    """``basket_hint``: the products most often bought with ``product_id``, best first."""

    product_id: str
    companions: tuple[BasketCompanion, ...]


Record = (
    CategoryRecord
    | ProductRecord
    | UserRecord
    | TaxClassRecord
    | StoreRecord
    | StockLevelRecord
    | BasketHintRecord
    | NoticeRecord
    | CustomerRecord
)


@dataclass(frozen=True)
class CatalogChange:
    """One pulled change in till terms: an upsert carries its record, a delete only the id."""

    entity: str  # "tax_class" | "category" | "product" | "user" | "store" | "stock_level"
    # | "basket_hint" | "notice" | "customer"
    id: str
    record: Record | None  # None for op "delete"


class SyncStore(Protocol):
    def cursor(self) -> str:
        """The cursor of the last page applied ("0" before the first pull)."""
        ...

    def apply_page(self, changes: Sequence[CatalogChange], cursor: str) -> None:
        """Apply the changes and store ``cursor``, all in one transaction."""
        ...

    def get_state(self, key: str) -> str | None: ...

    def set_state(self, key: str, value: str | None) -> None:
        """Store (or, with None, forget) a small piece of sync state, committed at once."""
        ...
