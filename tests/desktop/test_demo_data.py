"""The shared demo data (``asiria_demo_data``, also seeded by the cloud's ``demo_seed``) agrees
with the till's own domain rules, and ``seed_demo`` seeds exactly it."""

from __future__ import annotations

import sqlite3
from typing import Any

import asiria_demo_data as data
from asiria_desktop.demo import demo_ean13, seed_demo
from asiria_desktop.domain.barcodes import VariableMeasureLayout, is_valid_gs1, parse_code


def test_precomputed_scale_codes_are_the_till_layouts_base_codes() -> None:
    layout = VariableMeasureLayout.default()
    assert layout.prefixes[1] == data.SCALE_PREFIX  # the prefix seed_demo picks
    for _, _, plu, base_code in data.WEIGHED:
        assert layout.base_code(data.SCALE_PREFIX, plu) == base_code
    label = parse_code(data.SAMPLE_SCALE_LABEL, layout)
    assert label.lookup_code == data.WEIGHED[0][3] and label.embedded_price_cents == 9000


def test_every_demo_barcode_is_valid_and_the_serials_match_the_till() -> None:
    assert all(is_valid_gs1(p.barcode) for p in data.PRODUCTS)
    assert [data.demo_ean13(n) for n in range(1, 600)] == [demo_ean13(n) for n in range(1, 600)]
    assert len({p.barcode for p in data.PRODUCTS}) == len(data.PRODUCTS)
    assert len({p.id for p in data.PRODUCTS}) == len(data.PRODUCTS)


def test_ids_are_deterministic() -> None:
    # Pinned: tills seeded offline by an older version must keep matching the cloud.
    assert data.demo_id("product", "5449000000996") == "9ec3f70f-403e-5ad0-aae1-63d042bca24d"
    assert data.ACCOUNTS[0].id == "03c97d46-8e98-5626-b4e2-31b4f57c4fff"  # Amina
    coke = next(p for p in data.PRODUCTS if p.barcode == data.COCA_COLA)
    assert coke.id == data.demo_id("product", data.COCA_COLA)
    assert coke.category_id == data.demo_id("category", "Beverages")


def test_seed_demo_seeds_the_shared_data_with_its_ids(make_till: Any) -> None:
    till = make_till()
    conn = sqlite3.connect(str(till.config.database_path))
    try:
        products = {
            row[0]: row[1:]
            for row in conn.execute("SELECT id, name, price_cents, barcode, sku FROM products")
        }
        users = set(conn.execute("SELECT id, name, role FROM users"))
        categories = set(conn.execute("SELECT id, name FROM categories"))
    finally:
        conn.close()
    assert products == {p.id: (p.name, p.price_cents, p.barcode, p.sku) for p in data.PRODUCTS}
    assert users == {(a.id, a.name, a.role) for a in data.ACCOUNTS}
    assert categories == {(c.id, c.name) for c in data.CATEGORIES}
    info = seed_demo(till)  # a second run adds nothing
    assert not info.created and info.products == len(data.PRODUCTS)
    assert info.sample_scale_label == data.SAMPLE_SCALE_LABEL
