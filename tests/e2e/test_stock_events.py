"""Stock moved at a till reaches head office: a real till (child process, real sync engine)
receives a delivery and adjusts stock while the cloud can't be reached, then syncs through the
proxy to a real gunicorn on MariaDB. The cloud's stock level of each product is then opening +
received + adjustment, the movements are listed by the API with the till's record as their
reference, and the till, after pulling, shows the cloud's figure."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import pytest

from .conftest import INITIAL_STOCK_MILLI, E2ECloud
from .proxy import FaultProxy, passthrough, refuse_all
from .tills import TillProc

pytestmark = pytest.mark.e2e

MANAGER_PIN = "97531"


def line(lines: list[str], tag: str) -> str:
    found = [text for text in lines if text.startswith(tag + " ")]
    assert found, f"no {tag} line in {lines}"
    return found[0][len(tag) + 1 :]


def test_goods_received_and_adjusted_offline_reach_the_clouds_stock(
    e2e: E2ECloud, proxy: FaultProxy, new_till: Callable[..., TillProc]
) -> None:
    first, second = e2e.products(2, "stock")
    e2e.owner.post(
        "users/",
        {
            "name": "E2E Stock Manager",
            "email": f"stock-manager-{uuid.uuid4().hex[:8]}@e2e.example",
            "role": "manager",
            "store_id": e2e.store_id,
            "password": "E2e-Manager-Pass-2026",
            "pin": MANAGER_PIN,
        },
    )
    till = new_till("Stock till")  # enrolled: catalog, accounts and stock levels pulled

    proxy.set(refuse_all)  # the shop's network is down
    lines = till.run("stock", "--products", f"{first.id},{second.id}", "--manager-pin", MANAGER_PIN)
    proxy.set(passthrough)
    received = json.loads(line(lines, "RECEIVED"))
    counted_id, changed_id = json.loads(line(lines, "ADJUSTED"))
    assert "Received 2 products from Bidco Africa (delivery note DN-4471)" in received["message"]
    assert line(lines, "LEVEL") == f"{first.id} {INITIAL_STOCK_MILLI + 24_000} True"
    assert line(lines, "SYNCED").split()[0] == "False"
    assert {kind for kind, status, _ in till.outbox().values() if status == "pending"} == {
        "goods.received",
        "stock.adjusted",
    }

    sync = till.run("push-loop")
    assert sync[-1].startswith("SYNC True ok"), sync
    assert not till.unsent()

    expected = {
        first.id: INITIAL_STOCK_MILLI + 24_000 - 4_000,  # counted 520: the count itself
        second.id: INITIAL_STOCK_MILLI + 12_000 - 3_000,
    }
    levels = {
        level["product_id"]: level["on_hand_milli"]
        for level in e2e.owner.all("stock-levels/", store_id=e2e.store_id)
    }
    assert {pid: levels.get(pid) for pid in expected} == expected

    movements = {
        product.id: sorted(
            (m["reason"], m["delta_milli"], m["reference"], m["note"])
            for m in e2e.owner.all("stock-movements/", store_id=e2e.store_id, product_id=product.id)
        )
        for product in (first, second)
    }
    opening = [m for m in movements[first.id] if m[2] is None]  # the opening stock (no record)
    assert movements[first.id] == sorted(
        [
            *opening,
            ("adjustment", -4_000, counted_id, "Count correction"),
            ("purchase_receipt", 24_000, received["id"], "Bidco Africa"),
        ]
    )
    opening = [m for m in movements[second.id] if m[2] is None]
    assert movements[second.id] == sorted(
        [
            *opening,
            ("adjustment", -3_000, changed_id, "Damaged: crushed"),
            ("purchase_receipt", 12_000, received["id"], "Bidco Africa"),
        ]
    )

    activity = {
        a["record_id"]: a
        for a in e2e.owner.all("till-activity/", terminal_id=till.terminal_id)
        if a["kind"] in ("goods.received", "stock.adjusted")
    }
    assert set(activity) == {received["id"], counted_id, changed_id}
    assert activity[changed_id]["payload"]["reason_code"] == "damaged"
    assert activity[counted_id]["approved_by"] is not None  # the manager's PIN

    # The till pulled the cloud's figures and counts nothing twice.
    on_till = dict(till.rows("SELECT product_id, on_hand_milli FROM stock_levels"))
    assert {pid: on_till.get(pid) for pid in expected} == expected
    assert till.rows(
        "SELECT COUNT(*) FROM stock_movements WHERE reason IN ('receipt', 'adjustment')"
    ) == [(4,)]
