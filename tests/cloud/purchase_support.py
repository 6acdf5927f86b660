"""What a manager sees on a draft purchase order's page in the browser."""

from __future__ import annotations

from cloud_api.core.admin_display import money
from cloud_api.dashboard.purchase_views import line_total, order_total


def draft_totals_follow_the_typing(page, order, cola) -> None:
    """On the draft's page (``page``): the line totals and the total follow what is typed and
    ticked before anything is saved; the cola quantity is left at 30 (unsaved)."""
    cola_row = f"tr:has(input[name='qty-{cola.uuid.hex}']) .line-total"
    rest, saved = order_total(order) - line_total(cola), cola.quantity_milli
    cola.quantity_milli = 30_000
    page.fill(f"input[name='qty-{cola.uuid.hex}']", "30")
    assert page.inner_text(cola_row) == money(line_total(cola), "KES")
    assert page.inner_text("#order-total") == money(rest + line_total(cola), "KES")
    page.check(f"input[name='remove-{cola.uuid.hex}']")
    assert page.inner_text("#order-total") == money(rest, "KES")
    page.uncheck(f"input[name='remove-{cola.uuid.hex}']")
    uncosted = [line for line in order.lines.all() if not line.cost_price_cents]
    assert len(uncosted) >= 2  # the bakery's own goods have no cost price
    page.check(f"input[name='remove-{uncosted[0].uuid.hex}']")
    left = len(uncosted) - 1
    assert page.inner_text("#order-total-uncosted").strip() == (
        f"without {left} product{'s' if left > 1 else ''} with no cost yet"
    )
    page.uncheck(f"input[name='remove-{uncosted[0].uuid.hex}']")
    page.fill(f"input[name='qty-{cola.uuid.hex}']", "2.5")  # not a whole number of bottles
    assert page.inner_text(cola_row) == "\u2013" and page.inner_text("#order-total") == money(
        rest, "KES"
    )
    assert "1 product whose quantity needs another look" in page.inner_text("#order-total-uncosted")
    page.fill(f"input[name='qty-{cola.uuid.hex}']", "30")
    assert "not saved yet" in page.inner_text("#order-total-unsaved")
    assert order.lines.get(pk=cola.pk).quantity_milli == saved  # kept only on Save or Confirm
