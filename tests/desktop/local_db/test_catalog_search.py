"""A catalog of 100,000 products: indexed barcode lookup and FTS5 prefix type-ahead."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asiria_desktop.domain.barcodes import gs1_check_digit
from asiria_desktop.local_db.catalog_repos import fts_prefix_query
from asiria_desktop.local_db.database import TillDatabase
from asiria_desktop.ports.records import ProductRecord

COUNT = 100_000
WORDS = ["Sugar", "Salt", "Soap", "Soda", "Rice", "Milk", "Bread", "Flour", "Tea", "Juice"]
SIZES = ["250g", "500g", "1kg", "2kg", "5kg"]


def ean(n: int) -> str:
    body = f"200{n:09d}"
    return body + str(gs1_check_digit(body))


def name_of(n: int) -> str:
    return f"{WORDS[n % 10]} brand{n // 10 % 1000:03d} {SIZES[n % 5]} no{n}"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TillDatabase]:
    path: Path = tmp_path_factory.mktemp("catalog") / "till.sqlite3"
    counter = itertools.count(1)
    db = TillDatabase.open(
        path,
        backup_dir=path.parent / "backups",
        ids=lambda: f"00000000-0000-7000-8000-{next(counter):012d}",
        terminal_code="T01",
        today=date(2026, 11, 24),
    )
    conn = sqlite3.connect(path)  # executemany: 100,000 rows (and their FTS entries) in ~1 s
    conn.executemany(
        "INSERT INTO products (id, name, barcode, sku, price_cents, tax_class, sold_by_weight,"
        " active) VALUES (?, ?, ?, ?, ?, 'standard', 0, 1)",
        (
            (f"10000000-0000-7000-8000-{n:012d}", name_of(n), ean(n), f"SKU{n}", 100 + n)
            for n in range(COUNT)
        ),
    )
    conn.commit()
    conn.close()
    yield db
    db.close()


def test_all_products_are_there(catalog: TillDatabase) -> None:
    with catalog.uow(read_only=True) as uow:
        assert uow.products.count() == COUNT


def test_barcode_lookup_uses_the_unique_index(catalog: TillDatabase) -> None:
    with catalog.uow(read_only=True) as uow:
        found = uow.products.by_lookup_code(ean(73_421))
        assert found is not None and found.name == name_of(73_421)
        assert uow.products.by_lookup_code("SKU99") is not None
        assert uow.products.by_lookup_code("0000000000000") is None
    conn = sqlite3.connect(catalog.path)
    plan = conn.execute("EXPLAIN QUERY PLAN SELECT * FROM products WHERE barcode = ?", ("x",))
    assert "USING INDEX" in " ".join(str(row) for row in plan.fetchall())
    conn.close()


def test_prefix_search_finds_by_the_start_of_each_word(catalog: TillDatabase) -> None:
    with catalog.uow(read_only=True) as uow:
        sugar = uow.products.search("sug", 20)
        assert len(sugar) == 20 and all(p.name.startswith("Sugar") for p in sugar)
        both = uow.products.search("sug bran 250", 10)
        assert both and all("Sugar" in p.name and "250g" in p.name for p in both)
        exact = uow.products.search("no73421", 5)
        assert [p.name for p in exact] == [name_of(73_421)]
        assert uow.products.search(ean(5), 5)[0].name == name_of(5)  # a typed barcode
        assert uow.products.search("zzz", 5) == []


def test_search_text_is_never_fts_syntax() -> None:
    assert fts_prefix_query('sug" OR NOT *') == '"sug"* "or"* "not"*'
    assert fts_prefix_query("  ") is None


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=30))
def test_any_typed_text_searches_without_error(catalog: TillDatabase, text: str) -> None:
    with catalog.uow(read_only=True) as uow:
        assert len(uow.products.search(text, 5)) <= 5


def test_renamed_products_are_found_by_their_new_name(tmp_path: Path) -> None:
    counter = itertools.count(1)
    db = TillDatabase.open(
        tmp_path / "till.sqlite3",
        backup_dir=tmp_path / "b",
        ids=lambda: f"00000000-0000-7000-8000-{next(counter):012d}",
        terminal_code="T01",
        today=date(2026, 11, 24),
    )
    with db.uow() as uow:
        uow.products.add(ProductRecord("p1", "Kimbo cooking fat 1kg", 45000))
        uow.commit()
    conn = sqlite3.connect(db.path)
    conn.execute("UPDATE products SET name = 'Chipsy cooking fat 1kg' WHERE id = 'p1'")
    conn.commit()
    conn.close()
    with db.uow(read_only=True) as uow:
        assert uow.products.search("kimbo") == []
        assert [p.id for p in uow.products.search("chip")] == ["p1"]
    db.close()
