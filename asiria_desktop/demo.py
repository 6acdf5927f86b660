"""The demo store: a few hundred products, weighed items, categories and four accounts.

``seed_demo`` is idempotent (a second run adds nothing). PINs: cashiers Amina 1111 and Brian 2222,
manager Wanjiru 9999, owner 0000.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from asiria_desktop.bootstrap import Till
from asiria_desktop.domain.barcodes import gs1_check_digit
from asiria_desktop.ports.records import CategoryRecord, ProductRecord, UserRecord
from asiria_desktop.services.pins import hash_pin

SEEDED_KEY = "demo.seeded"


@dataclass(frozen=True)
class DemoAccount:
    name: str
    role: str
    pin: str


@dataclass(frozen=True)
class DemoInfo:
    created: bool
    products: int
    accounts: tuple[DemoAccount, ...]
    sample_barcodes: tuple[str, ...]
    sample_scale_label: str  # a variable-measure label: 0.750 kg of tomatoes, priced by the scale


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
_BRANDS = ("Jambo", "Savanna", "Baraka", "Kilima")
_SIZE_FACTOR = (1, 2, 3, 5)

# Weighed fresh produce: (name, price per kg in KES, PLU item code).
_WEIGHED = (
    ("Tomatoes (kg)", 120, "00101"),
    ("Onions (kg)", 100, "00102"),
    ("Potatoes (kg)", 80, "00103"),
    ("Bananas (kg)", 90, "00104"),
    ("Beef (kg)", 650, "00201"),
    ("Sukuma wiki (kg)", 60, "00105"),
)

# A few real-world codes, handy with a real scanner (valid GS1 check digits).
_KNOWN = (
    ("Coca-Cola 500ml", "5449000000996", 8000, "Beverages", "standard"),
    ("Fanta Orange 500ml", "5449000011527", 8000, "Beverages", "standard"),
)


def demo_ean13(n: int) -> str:
    body = f"616{n:09d}"  # 616: GS1 Kenya
    return body + str(gs1_check_digit(body))


def seed_demo(till: Till) -> DemoInfo:
    ctx = till.context
    layout = ctx.settings.barcode_layout
    prefix = layout.prefixes[min(1, len(layout.prefixes) - 1)]
    tomato_base = layout.base_code(prefix, _WEIGHED[0][2])
    label_body = tomato_base[:-6] + f"{9000:05d}"  # KES 90.00 printed by the scale
    scale_label = label_body + str(gs1_check_digit(label_body))
    known = tuple(code for _, code, *_ in _KNOWN)
    with ctx.uow() as uow:
        if uow.settings.get(SEEDED_KEY):
            count = uow.products.count()
            return DemoInfo(False, count, ACCOUNTS, (*known, demo_ean13(1)), scale_label)
        categories: dict[str, str] = {}
        for order, (name, *_rest) in enumerate((*_CATALOG, ("Fresh produce", "zero", (), ()))):
            categories[name] = ctx.ids()
            uow.products.add_category(CategoryRecord(categories[name], name, order))
        products: list[ProductRecord] = []
        serial = itertools.count(1)
        for category, tax, items, sizes in _CATALOG:
            for (item, price), brand in itertools.product(items, _BRANDS):
                for size, factor in zip(sizes, _SIZE_FACTOR, strict=True):
                    products.append(
                        ProductRecord(
                            id=ctx.ids(),
                            name=f"{brand} {item} {size}",
                            price_cents=price * factor * 100,
                            tax_class=tax,
                            barcode=demo_ean13(next(serial)),
                            category_id=categories[category],
                        )
                    )
        for name, code, price_cents, category, tax in _KNOWN:
            products.append(
                ProductRecord(
                    ctx.ids(), name, price_cents, tax, code, None, False, categories[category]
                )
            )
        for name, per_kg, plu in _WEIGHED:
            products.append(
                ProductRecord(
                    id=ctx.ids(),
                    name=name,
                    price_cents=per_kg * 100,
                    tax_class="zero",
                    barcode=layout.base_code(prefix, plu),
                    sku=plu.lstrip("0"),
                    sold_by_weight=True,
                    category_id=categories["Fresh produce"],
                )
            )
        uow.products.add_many(products)
        for account in ACCOUNTS:
            uow.users.add(UserRecord(ctx.ids(), account.name, account.role, hash_pin(account.pin)))
        uow.settings.set(SEEDED_KEY, "1")
        uow.commit()
    return DemoInfo(True, len(products), ACCOUNTS, (*known, demo_ean13(1)), scale_label)
