"""The demo store, shared by the till (``asiria demo``) and the cloud (``asiria-cloud demo_seed``).

Standard library only: plain frozen dataclasses with DETERMINISTIC ids (UUIDv5 from a fixed
namespace and a stable key: the barcode, the scale PLU, the category or account name), so a till
seeded offline and a till that pulled the demo store from the cloud name every product,
category and account the same way; enrolling an offline demo till later upserts the same rows.

Accounts and till PINs: cashiers Amina 1111 and Brian 2222, manager Wanjiru 9999, owner 0000.
In the cloud every account signs in with its email and ``DEMO_PASSWORD`` (the owner also opens
the admin site).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, replace

NAMESPACE = uuid.UUID("6877b51a-5f0c-46fa-af53-1fc990cfe1c2")  # never change: ids depend on it

ORGANISATION_NAME = "Duka Demo"
STORE_NAME = "Demo store"
STORE_CODE = "S01"
TIME_ZONE = "Africa/Nairobi"
CURRENCY = "KES"
EMAIL_DOMAIN = "demo.asiria.local"
DEMO_PASSWORD = "duka-demo-2026"  # the demo cloud's password for every demo account
OWNER_EMAIL = f"owner@{EMAIL_DOMAIN}"

# Weighed items' barcodes are the till's default scale layout (VariableMeasureLayout: prefix,
# 5-digit PLU, 5-digit value, check digit) with prefix "21" and a zero value. Precomputed here;
# tests/desktop/test_demo_data.py checks they equal the till's own ``base_code``.
SCALE_PREFIX = "21"


def demo_id(kind: str, key: str) -> str:
    """The demo store's id for a ``kind`` ("product", "category", "user") and a stable key."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


@dataclass(frozen=True)
class DemoAccount:
    name: str
    role: str  # "cashier" / "manager" / "owner"
    pin: str

    @property
    def id(self) -> str:
        return demo_id("user", self.name.lower())

    @property
    def email(self) -> str:
        return f"{self.name.lower()}@{EMAIL_DOMAIN}"


@dataclass(frozen=True)
class DemoCategory:
    id: str
    name: str
    sort_order: int


@dataclass(frozen=True)
class DemoProduct:
    id: str
    name: str
    price_cents: int
    tax_class: str  # "standard" / "zero" / "exempt"
    barcode: str
    category: str  # the category's name
    sku: str | None = None
    plu: str | None = None  # weighed items: the scale's 5-digit item code
    sold_by_weight: bool = False
    opening_stock_milli: int = 24_000  # the cloud's opening stock (thousandths)
    # At or below this, head office sees "low stock"; crossing it raises a notification.
    low_stock_threshold_milli: int = 5_000

    @property
    def category_id(self) -> str:
        return demo_id("category", self.category)


ACCOUNTS = (
    DemoAccount("Amina", "cashier", "1111"),
    DemoAccount("Brian", "cashier", "2222"),
    DemoAccount("Wanjiru", "manager", "9999"),
    DemoAccount("Owner", "owner", "0000"),
)

# (category, tax class, [(item, price in KES per unit)], sizes)
_CATALOG: tuple[tuple[str, str, tuple[tuple[str, int], ...], tuple[str, ...]], ...] = (
    (
        "Beverages",
        "standard",
        (("Soda", 60), ("Juice", 120), ("Water", 50), ("Energy drink", 150), ("Tea bags", 180)),
        ("300ml", "500ml", "1L", "2L"),
    ),
    (
        "Bakery",
        "standard",
        (("White bread", 65), ("Brown bread", 70), ("Buns", 50), ("Cake", 250), ("Scones", 40)),
        ("200g", "400g", "600g", "800g"),
    ),
    (
        "Dairy",
        "zero",
        (("Milk", 60), ("Yoghurt", 90), ("Butter", 280), ("Cheese", 450), ("Mala", 80)),
        ("250ml", "500ml", "1L", "family pack"),
    ),
    (
        "Grocery",
        "standard",
        (("Sugar", 180), ("Rice", 200), ("Maize flour", 150), ("Wheat flour", 170), ("Salt", 40)),
        ("500g", "1kg", "2kg", "5kg"),
    ),
    (
        "Snacks",
        "standard",
        (("Crisps", 100), ("Biscuits", 80), ("Peanuts", 60), ("Chocolate", 150), ("Sweets", 20)),
        ("small", "medium", "large", "party pack"),
    ),
    (
        "Household",
        "standard",
        (("Soap", 120), ("Detergent", 250), ("Tissue", 60), ("Matches", 10), ("Candles", 30)),
        ("single", "twin pack", "4 pack", "10 pack"),
    ),
    (
        "Personal care",
        "standard",
        (("Toothpaste", 150), ("Lotion", 350), ("Shampoo", 300), ("Vaseline", 120), ("Razor", 80)),
        ("small", "medium", "large", "jumbo"),
    ),
)
FRESH_PRODUCE = "Fresh produce"
_BRANDS = ("Jambo", "Savanna", "Baraka", "Kilima")
_SIZE_FACTOR = (1, 2, 3, 5)

# Weighed fresh produce: (name, price per kg in KES, PLU item code, barcode = the scale
# layout's base code for prefix SCALE_PREFIX, i.e. its labels with a zero value).
WEIGHED = (
    ("Tomatoes (kg)", 120, "00101", "2100101000003"),
    ("Onions (kg)", 100, "00102", "2100102000002"),
    ("Potatoes (kg)", 80, "00103", "2100103000001"),
    ("Bananas (kg)", 90, "00104", "2100104000000"),
    ("Beef (kg)", 650, "00201", "2100201000002"),
    ("Sukuma wiki (kg)", 60, "00105", "2100105000009"),
)

# A few real-world codes, handy with a real scanner (valid GS1 check digits).
KNOWN = (
    ("Coca-Cola 500ml", "5449000000996", 8000, "Beverages", "standard"),
    ("Fanta Orange 500ml", "5449000011527", 8000, "Beverages", "standard"),
)
COCA_COLA, FANTA = KNOWN[0][1], KNOWN[1][1]


def _gs1_check_digit(body: str) -> int:
    """The standard GS1 check digit (tested against the till's ``domain.barcodes``)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def demo_ean13(n: int) -> str:
    """The n-th demo product's EAN-13 (616: GS1 Kenya), n from 1."""
    body = f"616{n:09d}"
    return body + str(_gs1_check_digit(body))


def _categories() -> tuple[DemoCategory, ...]:
    names = [name for name, *_ in _CATALOG] + [FRESH_PRODUCE]
    return tuple(
        DemoCategory(demo_id("category", name), name, order) for order, name in enumerate(names)
    )


def _products() -> tuple[DemoProduct, ...]:
    products: list[DemoProduct] = []
    serial = itertools.count(1)
    for category, tax, items, sizes in _CATALOG:
        for (item, price), brand in itertools.product(items, _BRANDS):
            for size, factor in zip(sizes, _SIZE_FACTOR, strict=True):
                code = demo_ean13(next(serial))
                products.append(
                    DemoProduct(
                        demo_id("product", code),
                        f"{brand} {item} {size}",
                        price * factor * 100,
                        tax,
                        code,
                        category,
                    )
                )
    for name, code, price_cents, category, tax in KNOWN:
        products.append(
            DemoProduct(demo_id("product", code), name, price_cents, tax, code, category, None)
        )
    for name, per_kg, plu, base_code in WEIGHED:
        products.append(
            DemoProduct(
                id=demo_id("product", f"plu:{plu}"),  # not the barcode: the layout may differ
                name=name,
                price_cents=per_kg * 100,
                tax_class="zero",
                barcode=base_code,
                category=FRESH_PRODUCE,
                sku=plu.lstrip("0"),
                plu=plu,
                sold_by_weight=True,
                opening_stock_milli=20_000,  # 20 kg
            )
        )
    return tuple(products)


# Thresholds that make the demo's stock alerts visible: Fanta and tomatoes start at or below
# theirs (listed as low), Coca-Cola sits one above, so the first Coke sold raises an alert.
_DEMO_THRESHOLDS = {FANTA: 30_000, COCA_COLA: 23_000, WEIGHED[0][3]: 20_000}


def _with_demo_thresholds(products: tuple[DemoProduct, ...]) -> tuple[DemoProduct, ...]:
    return tuple(
        replace(p, low_stock_threshold_milli=_DEMO_THRESHOLDS[p.barcode])
        if p.barcode in _DEMO_THRESHOLDS
        else p
        for p in products
    )


CATEGORIES = _categories()
PRODUCTS = _with_demo_thresholds(_products())
SAMPLE_BARCODES = (COCA_COLA, FANTA, demo_ean13(1))
# A scale label: 0.750 kg of tomatoes, KES 90.00 printed by the scale (default layout).
SAMPLE_SCALE_LABEL = "2100101090004"
