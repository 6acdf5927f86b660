"""Fixtures of the end-to-end sync tests: a real cloud (gunicorn + MariaDB ``asiria_e2e`` + Redis
DB 13), a fault proxy in front of it, real tills in child processes, and the checks of the sync
contract: the cloud holds exactly the sales the tills completed, to the cent, and stock =
initial - sold.

When MariaDB or Redis is down (and scripts/ensure_services.sh cannot start them) every test
errors with that message: these tests never skip.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from . import cloud
from .proxy import FaultProxy
from .tills import TillProc, sold_milli

SCALE = max(1, int(os.environ.get("ASIRIA_E2E_SCALE", "1")))
CASHIER_PIN = "2468"
INITIAL_STOCK_MILLI = 500_000  # 500 units of each product
STORE_TZ = ZoneInfo("Africa/Nairobi")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


_SERVERS: list[cloud.Gunicorn] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed e2e test shows the end of gunicorn's log (the cloud's errors) in its report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and _SERVERS and "e2e" in item.keywords:
        report.sections.append(("gunicorn log (last 6000 chars)", _SERVERS[0].tail(6000)))


def ean13(body12: int) -> str:
    digits = f"{body12:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


@dataclass
class Product:
    id: str
    barcode: str
    price_cents: int
    initial_milli: int


@dataclass
class E2ECloud:
    server: cloud.Gunicorn
    owner: cloud.Owner
    store_id: str
    cashier_id: str
    _barcodes: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def products(self, count: int, label: str) -> list[Product]:
        """New products (a mix of VAT 16 % and exempt) with INITIAL_STOCK_MILLI each."""
        made = []
        for n in range(count):
            number = next(self._barcodes)
            body = self.owner.post(
                "products/",
                {
                    "name": f"{label} item {number}",
                    "barcode": ean13(600_100_000_000 + number),
                    "price_cents": 1999 + 137 * number,
                    "tax_class": "exempt" if n % 3 == 2 else "standard",
                },
            )
            self.owner.post(
                "stock-movements/",
                {
                    "store_id": self.store_id,
                    "product_id": body["id"],
                    "delta_milli": INITIAL_STOCK_MILLI,
                    "note": "opening stock (e2e)",
                },
            )
            made.append(
                Product(body["id"], body["barcode"], body["price_cents"], INITIAL_STOCK_MILLI)
            )
        return made


@pytest.fixture(scope="session")
def e2e_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2ECloud]:
    try:
        cloud.services_check()
        cloud.drop_stale_databases()
        cloud.create_database()
    except Exception as exc:  # a clear failure, never a skip
        pytest.fail(f"end-to-end tests: MariaDB/Redis unavailable: {exc}", pytrace=False)
    # (A cloud's cache keys hold no database name: two e2e runs at once share Redis DB 13, and
    # e.g. the "one clock_skew notice per till per hour" key of equal terminal ids could clash.)
    env = cloud.cloud_env()
    server: cloud.Gunicorn | None = None
    try:
        cloud.manage("migrate", "--noinput", env=env)
        cloud.manage(
            "bootstrap",
            "--org",
            "E2E Shops",
            "--store",
            "Main",
            "--owner-email",
            cloud.OWNER_EMAIL,
            "--owner-password",
            cloud.OWNER_PASSWORD,
            env=env,
        )
        log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
        server = cloud.Gunicorn(env=env, log_path=log, workers=2)
        _SERVERS[:] = [server]
        server.start()
        owner = cloud.Owner(server.url)
        store_id = owner.get("stores/")["results"][0]["id"]
        cashier = owner.post(
            "users/",
            {
                "name": "E2E Cashier",
                "email": "cashier@e2e.example",
                "role": "cashier",
                "store_id": store_id,
                "password": "E2e-Cashier-Pass-2026",
                "pin": CASHIER_PIN,
            },
        )
        yield E2ECloud(server, owner, store_id, cashier["id"])
    finally:
        if server is not None:
            server.stop()
        if not os.environ.get("ASIRIA_E2E_KEEP_DB"):
            cloud.drop_database()


@pytest.fixture
def e2e(e2e_cloud: E2ECloud) -> Iterator[E2ECloud]:
    """The cloud, running (a scenario that stops it and fails must not break the next one)."""
    if e2e_cloud.server.process is None or e2e_cloud.server.process.poll() is not None:
        e2e_cloud.server.process = None
        e2e_cloud.server.start()
    yield e2e_cloud
    if e2e_cloud.server.process is None:
        e2e_cloud.server.start()


@pytest.fixture
def proxy(e2e: E2ECloud) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(e2e.server.port).start()
    yield fault_proxy
    fault_proxy.stop()


@pytest.fixture
def new_till(e2e: E2ECloud, proxy: FaultProxy, tmp_path: Path) -> Callable[..., TillProc]:
    """``new_till(name)``: a till enrolled through the proxy, catalog and cashier pulled."""

    def make(name: str, server_url: str | None = None) -> TillProc:
        till = TillProc(name, tmp_path / name.replace(" ", "-"))
        code = e2e.owner.enrollment_code(e2e.store_id, name)
        lines = till.run(
            "enroll", "--server", server_url or proxy.url, "--code", code, "--name", name
        )
        assert any(line.startswith("SYNCED True") for line in lines), lines
        return till

    return make


def wait_for(condition: Callable[[], Any], timeout: float, message: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout} s: {message}")
        time.sleep(0.1)


def barcodes(products: list[Product]) -> str:
    return ",".join(p.barcode for p in products)


# ----- the checks of the sync contract -------------------------------------------------------


def assert_cloud_has_exactly(
    e2e: E2ECloud,
    tills: list[TillProc],
    products: list[Product],
    rejected: frozenset[str] = frozenset(),
) -> dict[str, dict[str, Any]]:
    """The cloud holds exactly the sales the tills completed (no loss, no duplicate), each
    equal to the till's to the cent, and stock = initial - sold for every product. Returns
    the cloud's sales by id. ``rejected``: event ids expected to stay rejected on the till."""
    till_sales: dict[str, dict[str, Any]] = {}
    for till in tills:
        sales = till.sales()
        assert sales, f"{till.name} completed no sale: the scenario did nothing"
        till_sales.update(sales)
        unsent = [event for event in till.unsent() if event[0] not in rejected]
        assert not unsent, f"{till.name} still has unsent events: {unsent[:5]}"
    terminals = {till.terminal_id for till in tills}

    listed = [s for s in e2e.owner.all("sales/") if s["terminal_id"] in terminals]
    listed_ids = [s["id"] for s in listed]
    assert len(listed_ids) == len(set(listed_ids)), "the sales list shows a sale twice"
    missing = set(till_sales) - set(listed_ids)
    extra = set(listed_ids) - set(till_sales)
    assert not missing, f"{len(missing)} sales lost by the cloud, e.g. {sorted(missing)[:3]}"
    assert not extra, f"{len(extra)} sales in the cloud the tills never completed: {extra}"

    # In the database too: one sale row, one dedupe record per sale (no double apply).
    placeholders = ",".join(["%s"] * len(till_sales))
    counts = cloud.query(
        f"SELECT LOWER(uuid), COUNT(*) FROM sales_sale WHERE uuid IN ({placeholders}) "
        "GROUP BY uuid",
        *till_sales,
    )
    assert {u: n for u, n in counts} == dict.fromkeys(till_sales, 1)
    events = cloud.query(
        f"SELECT LOWER(record_id), COUNT(*) FROM sync_syncevent WHERE record_id IN "
        f"({placeholders}) GROUP BY record_id",
        *till_sales,
    )
    assert {u: n for u, n in events} == dict.fromkeys(till_sales, 1)

    by_id = {s["id"]: s for s in listed}
    for sale_id, sent in till_sales.items():
        got = by_id[sale_id]
        for key in (
            "receipt_no",
            "subtotal_cents",
            "discount_cents",
            "tax_cents",
            "total_cents",
            "change_cents",
        ):
            assert got[key] == sent[key], f"sale {sale_id}: {key} {got[key]} != till {sent[key]}"
        assert got["status"] == "completed"
        assert sorted(
            (line["id"], line["qty"], line["total_cents"], line["tax_cents"])
            for line in got["lines"]
        ) == sorted(
            (line["id"], line["qty"], line["total_cents"], line["tax_cents"])
            for line in sent["lines"]
        ), f"sale {sale_id}: lines differ"
        assert sorted((p["id"], p["method"], p["amount_cents"]) for p in got["payments"]) == sorted(
            (p["id"], p["method"], p["amount_cents"]) for p in sent["payments"]
        ), f"sale {sale_id}: payments differ"
        assert parse(got["completed_at"]) == parse(sent["completed_at"]), (
            f"sale {sale_id}: completed_at {got['completed_at']} != till {sent['completed_at']}"
        )
        assert (
            got["business_date"]
            == parse(sent["completed_at"]).astimezone(STORE_TZ).date().isoformat()
        ), f"sale {sale_id}: business day is not its completed_at's"
    total_till = sum(s["total_cents"] for s in till_sales.values())
    total_cloud = sum(by_id[i]["total_cents"] for i in till_sales)
    assert total_cloud == total_till

    sold = sold_milli(list(till_sales.values()))
    levels = {
        level["product_id"]: level["on_hand_milli"]
        for level in e2e.owner.all("stock-levels/", store_id=e2e.store_id)
    }
    for product in products:
        expected = product.initial_milli - sold[product.id]
        assert levels.get(product.id) == expected, (
            f"stock of {product.barcode}: cloud {levels.get(product.id)} != initial "
            f"{product.initial_milli} - sold {sold[product.id]}"
        )
    assert set(sold) <= {p.id for p in products}, "a till sold a product of another scenario"
    return by_id


def line_key(line: dict[str, Any]) -> tuple[Any, ...]:
    return (
        line["id"],
        line["product_id"],
        line["qty"],
        line["qty_milli"],
        line["unit_price_cents"],
        line["discount_cents"],
        line["tax_cents"],
        line["total_cents"],
    )


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
