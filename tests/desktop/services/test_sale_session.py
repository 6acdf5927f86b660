"""Ringing up and completing sales: the use cases on in-memory storage, and the whole path
(sale, payments, stock, outbox, receipt file) on a real database file."""

from __future__ import annotations

from typing import Any

import pytest

from asiria_desktop.domain.errors import ApprovalRequired, DomainError, PaymentError
from asiria_desktop.hardware.simulated import SimulatedDrawer, SimulatedPrinter
from asiria_desktop.services.sale.sale_session import SaleSession

from .support import (
    CASHIER_PIN,
    COKE,
    MANAGER_PIN,
    SODA_300,
    SODA_500,
    TOMATO_LABEL,
    audit,
    outbox,
    ring_up_and_pay_cash,
    rows,
    user_id,
    validator,
)


@pytest.fixture
def till(fake_till: Any) -> Any:
    fake_till.services.auth.login(CASHIER_PIN)
    return fake_till


@pytest.fixture
def sqlite_till(make_till: Any) -> Any:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    return till


def test_split_tender_sale_commits_sale_stock_and_a_valid_outbox_event(sqlite_till: Any) -> None:
    till = sqlite_till
    sale = till.services.sale
    assert sale.scan(COKE + "\r\n").added  # the scanner's trailing CR/LF is ignored
    assert sale.scan(COKE).added  # a second scan adds to the same line
    assert sale.scan(TOMATO_LABEL).added
    view = sale.view()
    # The label (KES 90.00 of tomatoes at 120.00/kg) is sold by its weight, 0.750 kg.
    assert [(line.qty, line.qty_milli) for line in view.lines] == [(2, None), (None, 750)]
    assert [(line.qty_text, line.unit_price_text) for line in view.lines] == [
        ("2", "80.00"),
        ("0.750 kg", "120.00/kg"),
    ]
    assert view.total_cents == 2 * 8000 + 9000

    view = sale.add_payment("mpesa", 20000, "sko3zq8h2j")
    view = sale.add_payment("cash", 10000)
    assert view.is_paid and view.change_cents == 5000
    result = sale.complete()

    assert result.receipt_no == "S01-T01-000001"
    assert result.change_cents == 5000 and result.printed and result.opened_drawer
    assert "Change 50.00" in result.message
    assert sale.view().is_empty  # ready for the next customer

    assert rows(till, "SELECT receipt_no, total_cents, change_cents FROM sales") == [
        ("S01-T01-000001", 25000, 5000)
    ]
    assert rows(till, "SELECT count(*) FROM sale_payments WHERE sale_id = ?", result.sale_id) == [
        (2,)
    ]
    assert sorted(rows(till, "SELECT delta_milli FROM stock_movements")) == [(-2000,), (-750,)]

    events = outbox(till)
    assert [e["type"] for e in events] == ["sale.completed"]
    event = events[0]
    validator("Event").validate(event)
    validator("SaleCompleted").validate(event["payload"])
    payload = event["payload"]
    assert payload["receipt_no"] == result.receipt_no
    assert payload["total_cents"] == sum(line["total_cents"] for line in payload["lines"])
    assert (
        sum(p["amount_cents"] for p in payload["payments"]) - payload["change_cents"]
        == (payload["total_cents"])
    )
    assert event["seq"] == 1 and event["recorded_at"].endswith("+03:00")
    tomatoes = payload["lines"][1]
    assert (tomatoes["qty"], tomatoes["qty_milli"], tomatoes["total_cents"]) == (None, 750, 9000)
    assert tomatoes["unit_price_cents"] == 12000  # the catalog's price per kg

    printed = till.printer.last_text
    assert result.receipt_no in printed and "Coca-Cola 500ml" in printed
    assert "  0.750 kg x 120.00/kg" in printed.splitlines()
    assert result.receipt_no in till.config.receipts_path.read_text(encoding="utf-8")
    assert till.drawer.openings == 1
    last = till.services.receipts.last()
    assert last is not None
    assert (last.receipt_no, last.text) == (result.receipt_no, result.receipt_text)


def test_receipt_numbers_and_outbox_seq_are_gap_free(make_till: Any) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    till.services.shifts.open(None, 5000)
    numbers = [ring_up_and_pay_cash(till, SODA_300).receipt_no for _ in range(3)]
    with pytest.raises(PaymentError):  # a failed completion uses no number
        till.services.sale.scan(SODA_500)
        till.services.sale.complete()
    till.services.sale.add_payment("cash", 100000)
    numbers.append(till.services.sale.complete().receipt_no)
    assert numbers == [f"S01-T01-{n:06d}" for n in range(1, 5)]

    restarted = make_till(seed=False)
    restarted.services.auth.login(CASHIER_PIN)
    assert ring_up_and_pay_cash(restarted, COKE).receipt_no == "S01-T01-000005"
    seqs = [e["seq"] for e in outbox(restarted)]
    assert seqs == list(range(1, len(seqs) + 1))
    assert [e["type"] for e in outbox(restarted)][:2] == ["shift.opened", "sale.completed"]


def test_a_printer_that_raises_never_undoes_the_sale(make_till: Any) -> None:
    printer = SimulatedPrinter()
    printer.fail_with = "paper out"
    till = make_till(printer=printer)
    till.services.auth.login(CASHIER_PIN)
    result = ring_up_and_pay_cash(till, COKE)
    assert not result.printed
    assert "did not print" in result.message and "reprint" in result.message
    assert rows(till, "SELECT receipt_no FROM sales") == [(result.receipt_no,)]
    assert [e["type"] for e in outbox(till)] == ["sale.completed"]
    assert till.drawer.openings == 1  # the drawer still opens for the cash
    assert result.receipt_text  # the preview pane still has the text

    printer.fail_with = None
    assert "reprinted" in till.services.receipts.reprint(result.receipt_no)
    assert "COPY" in printer.last_text.upper()


def test_a_drawer_that_raises_is_reported_not_raised(make_till: Any) -> None:
    drawer = SimulatedDrawer()
    drawer.fail_with = "not connected"
    till = make_till(drawer=drawer)
    till.services.auth.login(CASHIER_PIN)
    result = ring_up_and_pay_cash(till, COKE)
    assert result.printed and not result.opened_drawer
    assert "drawer did not open" in result.message


def test_a_weight_embedded_scale_label_sells_its_weight(make_till: Any) -> None:
    from asiria_desktop.config import BarcodeSettings

    till = make_till(config={"barcode": BarcodeSettings(value_kind="weight")})
    till.services.auth.login(CASHIER_PIN)
    till.services.shifts.open(None, 5000)
    sold = ring_up_and_pay_cash(till, "2100101007507")  # tomatoes, 0.750 kg on the label
    (line,) = outbox(till)[-1]["payload"]["lines"]
    assert (line["qty"], line["qty_milli"], line["unit_price_cents"]) == (None, 750, 12000)
    assert line["total_cents"] == 9000 == sold.total_cents
    assert rows(till, "SELECT delta_milli FROM stock_movements") == [(-750,)]


def test_unknown_and_misread_codes_give_plain_messages(till: Any) -> None:
    sale = till.services.sale
    outcome = sale.scan("123")
    assert not outcome.added and outcome.message == "Barcode 123 not found. Search by name?"
    misread = sale.scan("5449000000997")
    assert not misread.added and "check digit" in misread.message
    assert sale.view().is_empty


def test_weighed_items_by_scale_label_or_by_weight(till: Any) -> None:
    sale = till.services.sale
    label = sale.scan(TOMATO_LABEL)
    assert label.added
    line = sale.view().lines[0]
    assert line.total_cents == 9000 and (line.qty, line.qty_milli) == (None, 750)

    tomato = till.services.catalog.search("tomatoes")[0]
    assert tomato.sku == "101"
    needs = sale.scan(tomato.sku)  # the PLU typed by the cashier
    assert not needs.added and needs.needs_weight and needs.product_id == tomato.id
    weighed = sale.add_product(tomato.id, qty_milli=1250)
    view = sale.set_weight(weighed.line_id, 1500)
    assert [line.qty_text for line in view.lines] == ["0.750 kg", "1.500 kg"]
    assert view.lines[1].total_cents == 18000  # KES 120.00/kg x 1.5 kg


def test_same_code_inside_the_window_is_ignored_outside_it_is_added(make_till: Any) -> None:
    till = make_till(config={"scan_debounce_ms": 300})
    till.services.auth.login(CASHIER_PIN)
    now = [100.0]
    session = SaleSession(
        till.context, till.services.catalog, till.printer, till.drawer, monotonic=lambda: now[0]
    )
    assert session.scan(COKE).added
    now[0] += 0.05
    repeat = session.scan(COKE + "\n")
    assert repeat.ignored and not repeat.added
    now[0] += 1.0
    assert session.scan(COKE).added
    assert session.view().lines[0].qty == 2


def test_discount_above_the_limit_needs_a_manager_and_is_audited(till: Any) -> None:
    sale = till.services.sale
    line_id = sale.scan(SODA_500).line_id
    sale.discount_line(line_id, "percent", 1000)  # 10 %: within the cashier's limit
    with pytest.raises(ApprovalRequired) as asked:
        sale.discount_line(line_id, "percent", 2500)
    cashier_approval = None
    with pytest.raises(DomainError):
        cashier_approval = till.services.auth.approve(CASHIER_PIN, asked.value.action)
    assert cashier_approval is None
    approval = till.services.auth.approve(MANAGER_PIN, asked.value.action)
    view = sale.discount_line(line_id, "percent", 2500, approval, reason="damaged")
    assert view.lines[0].discount_cents == 3000 and view.total_cents == 9000

    with pytest.raises(ApprovalRequired):  # an approval only counts for its own action
        sale.override_price(line_id, 100, approval)

    with pytest.raises(ApprovalRequired):  # the cart discount has the same limit
        sale.discount_cart("amount", 2000)
    sale.add_payment("cash", 9000)
    result = sale.complete()
    manager = user_id(till, "Wanjiru")
    discounts = [a for a in audit(till) if a[0] == "discount_line"]
    assert [(a[2], a[3]["value"]) for a in discounts] == [(None, 1000), (manager, 2500)]
    assert discounts[1][3]["sale_id"] == result.sale_id
    assert discounts[1][1] == user_id(till, "Amina")


def test_price_override_and_void_after_payment_need_approval(till: Any) -> None:
    sale = till.services.sale
    coke = sale.scan(COKE).line_id
    soda = sale.scan(SODA_300).line_id
    with pytest.raises(ApprovalRequired) as asked:
        sale.override_price(coke, 7000)
    approval = till.services.auth.approve(MANAGER_PIN, asked.value.action)
    assert sale.override_price(coke, 7000, approval).lines[0].price_overridden
    sale.add_payment("cash", 5000)
    with pytest.raises(ApprovalRequired) as void_asked:
        sale.void_line(soda)
    void_ok = till.services.auth.approve(MANAGER_PIN, void_asked.value.action)
    view = sale.void_line(soda, void_ok)
    assert [line.name for line in view.lines] == ["Coca-Cola 500ml"]
    sale.add_payment("cash", 2000)
    sale.complete()
    actions = {a[0]: a[2] for a in audit(till)}
    manager = user_id(till, "Wanjiru")
    assert actions["price_override"] == manager and actions["void_line"] == manager


def test_park_and_recall_survive_a_restart(make_till: Any) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    till.services.sale.scan(COKE)
    till.services.sale.scan(TOMATO_LABEL)
    parked_id = till.services.sale.park("Mama Njeri")
    assert till.services.sale.view().is_empty
    till.close()

    again = make_till(seed=False)
    again.services.auth.login(CASHIER_PIN)
    parked = again.services.sale.parked()
    assert [(p.id, p.label, p.item_count, p.total_cents) for p in parked] == [
        (parked_id, "Mama Njeri", 2, 17000)
    ]
    view = again.services.sale.recall(parked_id)
    assert [line.name for line in view.lines] == ["Coca-Cola 500ml", "Tomatoes (kg)"]
    assert again.services.sale.parked() == []
    again.services.sale.add_payment("card", view.total_cents, "4242")
    assert again.services.sale.complete().receipt_no == "S01-T01-000001"


def test_park_cancel_and_complete_refuse_what_would_lose_money(till: Any) -> None:
    sale = till.services.sale
    with pytest.raises(DomainError, match="nothing"):
        sale.complete()
    sale.scan(COKE)
    sale.add_payment("cash", 1000)
    with pytest.raises(PaymentError, match="still due"):
        sale.complete()
    with pytest.raises(PaymentError):
        sale.park("x")
    with pytest.raises(PaymentError):
        sale.cancel()
    payment = sale.view().payments[0].id
    sale.remove_payment(payment)
    assert sale.cancel().is_empty
    assert "sale_cancelled" in [a[0] for a in audit(till)]


def test_nobody_logged_in_cannot_sell(make_till: Any) -> None:
    till = make_till()
    with pytest.raises(DomainError, match="PIN"):
        till.services.sale.scan(COKE)
