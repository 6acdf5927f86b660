"""The manager's view of today's sales, and the sale screen's "often bought with" hint.

Both read only the till's own database, so they work offline: today's figures are this
till's sales since midnight (the till's clock); the hint is what head office last sent.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from asiria_desktop.domain.cart_types import PAYMENT_LABELS, PaymentMethod
from asiria_desktop.domain.permissions import Action
from asiria_desktop.ports.insights import InsightsReader, PeriodSales
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.formatting import money_text, plural, qty_text
from asiria_desktop.services.results import Approval
from asiria_desktop.services.signin.approvals import authorize

TOP_PRODUCTS = 5
FIRST_HOUR, LAST_HOUR = 8, 20  # the chart's hours when the day's sales fall inside them


@dataclass(frozen=True)
class ShareRow:
    label: str
    amount_cents: int
    amount_text: str
    share_text: str  # "62%"


@dataclass(frozen=True)
class TopProductRow:
    name: str
    qty_text: str
    total_text: str


@dataclass(frozen=True)
class HourBar:
    hour: int
    label: str  # "09"
    total_cents: int
    total_text: str


@dataclass(frozen=True)
class TodayFigures:
    date_text: str
    sales_count: int
    sales_text: str  # "14 sales"
    total_cents: int
    total_text: str
    average_text: str
    voided_text: str  # "" when nothing was voided
    refunds_text: str  # "" when nothing was refunded
    payment_mix: tuple[ShareRow, ...]
    top_products: tuple[TopProductRow, ...]
    hours: tuple[HourBar, ...]


def _payment_label(method: str) -> str:
    """ "Cash", "M-Pesa"...; a method this till does not know yet keeps its own name."""
    known = method in PaymentMethod.__members__.values()
    return PAYMENT_LABELS.get(PaymentMethod(method), method.title()) if known else method.title()


class InsightsService:
    def __init__(self, ctx: TillContext, reader: InsightsReader) -> None:
        self._ctx = ctx
        self._reader = reader

    # -- the manager's view -------------------------------------------------------------------

    def open_today(self, approval: Approval | None = None) -> TodayFigures:
        """Today's figures, for a manager (or with a manager's approval)."""
        authorize(self._ctx, Action.MANAGER_VIEW, approval)
        return self.today()

    def today(self) -> TodayFigures:
        now = self._ctx.clock.now()
        start = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
        period = self._reader.sales_between(start, start + timedelta(days=1))
        return self._figures(now, period)

    def _figures(self, now: datetime, period: PeriodSales) -> TodayFigures:
        currency = self._ctx.settings.currency
        count = len(period.sales)
        total = sum(sale.total_cents for sale in period.sales)
        change = sum(sale.change_cents for sale in period.sales)
        # Change is always given in cash: the drawer keeps cash tendered minus change.
        taken = {
            p.method: p.amount_cents - (change if p.method == PaymentMethod.CASH else 0)
            for p in period.payments
        }
        paid = sum(amount for amount in taken.values() if amount > 0)
        mix = tuple(
            ShareRow(
                _payment_label(method),
                amount,
                money_text(amount, currency),
                f"{round(amount * 100 / paid)}%" if paid else "0%",
            )
            for method, amount in sorted(taken.items(), key=lambda item: -item[1])
            if amount > 0
        )
        top = tuple(
            TopProductRow(
                product.name,
                qty_text(None, product.qty_milli)
                if product.qty_milli and not product.qty
                else str(product.qty),
                money_text(product.total_cents, currency),
            )
            for product in period.products[:TOP_PRODUCTS]
        )
        by_hour: dict[int, int] = {}
        for sale in period.sales:
            hour = sale.completed_at.astimezone(now.tzinfo).hour
            by_hour[hour] = by_hour.get(hour, 0) + sale.total_cents
        first = min([FIRST_HOUR, *by_hour])
        last = max([LAST_HOUR, *by_hour])
        hours = tuple(
            HourBar(hour, f"{hour:02d}", cents, money_text(cents, currency))
            for hour in range(first, last + 1)
            for cents in [by_hour.get(hour, 0)]
        )
        return TodayFigures(
            date_text=now.strftime("%A %d %B %Y"),
            sales_count=count,
            sales_text=plural(count, "sale"),
            total_cents=total,
            total_text=money_text(total, currency),
            average_text=money_text((total + count // 2) // count if count else 0, currency),
            voided_text=(
                f"{plural(period.voided_count, 'sale')} voided" if period.voided_count else ""
            ),
            refunds_text=(
                f"{money_text(period.refunds_cents, currency)} refunded"
                if period.refunds_cents
                else ""
            ),
            payment_mix=mix,
            top_products=top,
            hours=hours,
        )

    # -- the sale screen's hint ---------------------------------------------------------------

    def hint_for(self, product_id: str, in_cart: Collection[str] = ()) -> str | None:
        """ "Often bought with Bread: Butter" for the product just added, naming the best
        companion not already in the cart; None when head office sent nothing (a till that
        never synced, or a product without a pattern)."""
        record = self._reader.basket_hint(product_id)
        if record is None:
            return None
        missing = [c for c in record.companions if c.product_id not in set(in_cart)]
        if not missing:
            return None
        with self._ctx.uow(read_only=True) as uow:
            product = uow.products.get(product_id)
        name = product.name if product is not None else None
        if name is None:
            return None
        return f"Often bought with {name}: {missing[0].name}"
