"""The demo store: a few hundred products, weighed items, categories and four accounts.

``seed_demo`` is idempotent (a second run adds nothing). PINs: cashiers Amina 1111 and Brian 2222,
manager Wanjiru 9999, owner 0000. The data (and its deterministic ids) is ``asiria_demo_data``,
shared with the cloud's ``asiria-cloud demo_seed``: a till seeded here and later enrolled with
the demo cloud pulls the very same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from asiria_demo_data import ACCOUNTS, CATEGORIES, KNOWN, PRODUCTS, WEIGHED, DemoAccount
from asiria_desktop.bootstrap import Till
from asiria_desktop.domain.barcodes import gs1_check_digit
from asiria_desktop.ports.records import CategoryRecord, ProductRecord, UserRecord
from asiria_desktop.services.signin.pins import hash_pin

SEEDED_KEY = "demo.seeded"
__all__ = ["ACCOUNTS", "SEEDED_KEY", "DemoAccount", "DemoInfo", "demo_ean13", "seed_demo"]


@dataclass(frozen=True)
class DemoInfo:
    created: bool
    products: int
    accounts: tuple[DemoAccount, ...]
    sample_barcodes: tuple[str, ...]
    sample_scale_label: str  # a variable-measure label: 0.750 kg of tomatoes, priced by the scale


def demo_ean13(n: int) -> str:
    body = f"616{n:09d}"  # 616: GS1 Kenya
    return body + str(gs1_check_digit(body))


def seed_demo(till: Till) -> DemoInfo:
    ctx = till.context
    layout = ctx.settings.barcode_layout
    prefix = layout.prefixes[min(1, len(layout.prefixes) - 1)]
    tomato_base = layout.base_code(prefix, WEIGHED[0][2])
    label_body = tomato_base[:-6] + f"{9000:05d}"  # KES 90.00 printed by the scale
    scale_label = label_body + str(gs1_check_digit(label_body))
    known = tuple(code for _, code, *_ in KNOWN)
    with ctx.uow() as uow:
        if uow.settings.get(SEEDED_KEY):
            count = uow.products.count()
            return DemoInfo(False, count, ACCOUNTS, (*known, demo_ean13(1)), scale_label)
        for category in CATEGORIES:
            uow.products.add_category(
                CategoryRecord(category.id, category.name, category.sort_order)
            )
        products = [
            ProductRecord(
                id=p.id,
                name=p.name,
                price_cents=p.price_cents,
                tax_class=p.tax_class,
                # Weighed items follow this till's scale layout (the shared data holds the
                # default layout's codes).
                barcode=layout.base_code(prefix, p.plu) if p.plu else p.barcode,
                sku=p.sku,
                sold_by_weight=p.sold_by_weight,
                category_id=p.category_id,
            )
            for p in PRODUCTS
        ]
        uow.products.add_many(products)
        for account in ACCOUNTS:
            uow.users.add(UserRecord(account.id, account.name, account.role, hash_pin(account.pin)))
        uow.settings.set(SEEDED_KEY, "1")
        uow.commit()
    return DemoInfo(True, len(products), ACCOUNTS, (*known, demo_ean13(1)), scale_label)
