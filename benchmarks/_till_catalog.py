"""Shared setup of the till benchmarks: a till data dir with a 100,000-product catalog.

The catalog is the demo store (accounts, categories, weighed items) plus generated products with
valid, unique EAN-13 barcodes and names built from a few hundred words, so that FTS5 prefix
search has real work to do ("s" matches a large part of the catalog). Products go in through
the till's own repository (``ProductRepository.add_many``) in one transaction, so the FTS
triggers and indexes are exactly what the till maintains.

Not a benchmark itself (files starting with ``_`` are skipped by ``run_all.py``).
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/till_x.py` from anywhere
    sys.path.insert(0, str(ROOT))

CATALOG_SIZE = 100_000
CASHIER_PIN = "1111"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


BRANDS = _words(
    "Jambo Savanna Baraka Kilima Tusker Safari Simba Twiga Pwani Mombasa Kisumu Nakuru Eldoret "
    "Amani Furaha Neema Zawadi Tumaini Upendo Baridi Mvua Jua Nyota Bahari Mlima Ziwa Kenblest "
    "Brookside Daima Fresha Tuzo Ilara Elianto Golden Pembe Ajab Exe Jogoo Soko Dola Royco "
    "Ketepa Kericho Highland Rift Valley Coast Lakeside Sunrise Greenfield Bluebird"
)
ITEMS = _words(
    "Sugar Rice Flour Maize Wheat Salt Bread Buns Cake Scones Milk Yoghurt Butter Cheese Mala "
    "Soda Juice Water Tea Coffee Cocoa Crisps Biscuits Peanuts Chocolate Sweets Soap Detergent "
    "Tissue Matches Candles Toothpaste Lotion Shampoo Vaseline Razor Beans Lentils Peas Ndengu "
    "Githeri Chapati Mandazi Samosa Sausage Bacon Ham Chicken Beef Goat Fish Omena Tilapia "
    "Cabbage Carrots Onions Tomatoes Potatoes Bananas Mangoes Oranges Apples Avocado Pineapple "
    "Spinach Kale Garlic Ginger Pepper Chilli Cooking Oil Margarine Jam Honey Peanut Ketchup "
    "Mayonnaise Vinegar Noodles Spaghetti Macaroni Cornflakes Oats Porridge Baby Diapers Wipes "
    "Sanitary Pads Bleach Disinfectant Polish Sponge Brush Broom Bucket Batteries Bulb Charcoal "
    "Paraffin Gas Airtime Envelope Pen Pencil Exercise Book Glue Tape Thread Needle Nails Paint "
    "Cement Padlock Torch Umbrella Slippers Socks Vest Handkerchief Towel Blanket Sheet Pillow "
    "Cup Plate Spoon Fork Knife Sufuria Jerrycan Flask Thermos Kettle Yeast Baking Powder Custard "
    "Gelatine Cereal Muesli Granola Crackers Wafers Cookies Lollipop Chewing Gum Mints Energy"
)
DESCRIPTORS = _words(
    "Premium Classic Original Fresh Organic Natural Extra Super Family Value Special Light Rich "
    "Creamy Crunchy Spicy Sweet Mild Strong Instant Whole Brown White Red Green Golden Royal "
    "Pure Daily Farm Home Country Tropical Lemon Vanilla Strawberry Mint Herbal Fortified"
)
SIZES = _words(
    "50g 100g 200g 250g 400g 500g 1kg 2kg 5kg 10kg 200ml 300ml 500ml 1L 2L 5L single twin "
    "4pack 6pack 12pack small medium large jumbo"
)
WORDS = tuple(sorted({w.lower() for w in (*BRANDS, *ITEMS, *DESCRIPTORS)}))


def ean13(n: int) -> str:
    """A valid EAN-13 that never collides with the demo store's codes (which are 616000000xxx)."""
    from asiria_desktop.domain.barcodes import gs1_check_digit

    body = f"6169{n:08d}"
    return body + str(gs1_check_digit(body))


@dataclass(frozen=True)
class Catalog:
    data_dir: Path
    products: int
    barcodes: tuple[str, ...]  # a random sample of generated barcodes, for scans
    build_seconds: float


def hermetic_config(data_dir: Path, **overrides: Any) -> Any:
    """The till's config for ``data_dir`` without the user's TOML file or ASIRIA_* variables."""
    from asiria_desktop.config import load_config

    config = load_config(data_dir=data_dir, config_file=data_dir / "no-such.toml", environ={})
    return replace(config, **overrides)


def open_till(data_dir: Path, **overrides: Any) -> Any:
    """``build_till`` on the data dir, scanner debounce off (benchmarks scan repeats on purpose)."""
    from asiria_desktop.bootstrap import build_till

    overrides.setdefault("scan_debounce_ms", 0)
    return build_till(hermetic_config(data_dir, **overrides))


def build_catalog(data_dir: Path, size: int = CATALOG_SIZE, seed: int = 42) -> Catalog:
    """Seed the demo store, then add ``size`` generated products through the repository."""
    from asiria_desktop.demo import seed_demo
    from asiria_desktop.ports.records import ProductRecord

    started = time.perf_counter()
    rng = random.Random(seed)
    till = open_till(data_dir)
    try:
        seed_demo(till)
        ctx = till.context
        categories = [c.id for c in till.services.catalog.categories()]
        records = []
        for n in range(1, size + 1):
            name = " ".join(
                (
                    rng.choice(BRANDS),
                    rng.choice(DESCRIPTORS),
                    rng.choice(ITEMS),
                    rng.choice(ITEMS) if rng.random() < 0.3 else "",
                    rng.choice(SIZES),
                )
            ).replace("  ", " ")
            records.append(
                ProductRecord(
                    id=ctx.ids(),
                    name=name,
                    price_cents=rng.randint(1, 5000) * 100 + rng.choice((0, 50)),
                    tax_class=rng.choice(("standard", "standard", "standard", "zero", "exempt")),
                    barcode=ean13(n),
                    sku=f"SKU{n:06d}",
                    category_id=rng.choice(categories),
                )
            )
        with ctx.uow() as uow:
            uow.products.add_many(records)
            uow.commit()
        # A till restarting mid-day has its shift open: the sale screen comes up without asking.
        session = till.services.auth.login(CASHIER_PIN)
        till.services.shifts.open(session.user_id, 500_000)
    finally:
        till.close()
    sample = tuple(ean13(n) for n in rng.sample(range(1, size + 1), min(size, 5000)))
    return Catalog(data_dir, size, sample, time.perf_counter() - started)


@contextmanager
def catalog_dir(size: int = CATALOG_SIZE, *, quiet: bool = False) -> Iterator[Catalog]:
    """A temporary till data dir with the catalog; removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="asiria-bench-"))
    try:
        catalog = build_catalog(tmp / "till", size)
        if not quiet:
            print(
                f"catalog: {catalog.products:,} products (+ demo store) built in "
                f"{catalog.build_seconds:.1f} s at {catalog.data_dir}",
                flush=True,
            )
        yield catalog
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def login(till: Any) -> None:
    till.services.auth.login(CASHIER_PIN)


def search_queries(rng: random.Random, count: int) -> list[str]:
    """What a cashier types: 1-4 letter prefixes (the type-ahead), whole words, two words."""
    queries = []
    for _ in range(count):
        word = rng.choice(WORDS)
        kind = rng.random()
        if kind < 0.6:
            queries.append(word[: rng.randint(1, 4)])
        elif kind < 0.85:
            queries.append(word)
        else:
            queries.append(f"{word[: rng.randint(2, 4)]} {rng.choice(WORDS)[: rng.randint(1, 4)]}")
    return queries


def vm_status_mb(field: str) -> float:
    """VmRSS / VmHWM of this process from /proc/self/status, in MB (MiB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def print_machine() -> None:
    """CPU count and load: other work on the machine shows up in wall-time tails."""
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(load)}", flush=True)


class CpuClock:
    """Wraps a function to also record the CPU time of this thread per call (ms): a wall-time
    tail that is not in the CPU time was the scheduler (another process on the cores)."""

    def __init__(self, fn: Callable[[], object]) -> None:
        self._fn = fn
        self.samples: list[float] = []

    def __call__(self) -> object:
        start = time.thread_time()
        try:
            return self._fn()
        finally:
            self.samples.append((time.thread_time() - start) * 1000)

    def report(self, name: str) -> None:
        from _bench import emit, percentile

        p99 = percentile(self.samples, 99)
        print(f"{name}: CPU time of the calling thread p99={p99:.3f} ms", flush=True)
        emit(f"{name}.cpu_p99", p99, "ms")


def start_ui(data_dir: Path, marks: dict[str, float]) -> tuple[Any, Any, Any]:
    """What the till's entry point does, up to a ready sale screen: build the till (and start
    its backup timer and background sync), create the Qt main window (offscreen), log the
    cashier in through the login screen, and wait until the sale screen is current, its
    background work (grid, cart, shift check) done and the event loop has processed once more.
    Records ``time.perf_counter()`` marks of each phase."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from asiria_desktop.ui.app import MainWindow

    marks["ui_imported"] = time.perf_counter()
    import asiria_desktop.bootstrap  # noqa: F401  (SQLAlchemy, Alembic, argon2...)

    marks["till_imported"] = time.perf_counter()
    till = open_till(data_dir, scan_debounce_ms=300)
    # As `asiria run` does (cli.py): the daily backup timer and background sync start too.
    for start in ("start_daily_backups", "start_sync"):
        if hasattr(till, start):
            getattr(till, start)()
    marks["till_built"] = time.perf_counter()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    window = MainWindow(till.services)
    window.show()
    app.processEvents()
    marks["login_shown"] = time.perf_counter()
    window.login_screen.pin_edit.setText(CASHIER_PIN)
    window.login_screen.submit()
    deadline = time.monotonic() + 60
    while not (window.stack.currentWidget() is window.sale_screen and window.runner.idle):
        if time.monotonic() > deadline:
            raise RuntimeError("the sale screen did not come up within 60 s")
        app.processEvents()
        time.sleep(0.0005)
    app.processEvents()
    marks["sale_screen_ready"] = time.perf_counter()
    return till, app, window
