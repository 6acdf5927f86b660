"""``asiria-cloud forecast_backtest --org NAME --store NAME_OR_CODE [--horizon 7] [--folds 4]
[--min-units 100] [--end YYYY-MM-DD]``: MASE per product and overall, the store's top
"frequently bought together" rules over the same history, and BENCH lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cloud_api.accounts.models import Store
from cloud_api.analytics.basket import association_rules
from cloud_api.analytics.basket_services import store_baskets
from cloud_api.analytics.forecast_backtest import METHODS, backtest
from cloud_api.analytics.forecast_series import DAYS_AHEAD, last_sales_day, store_series
from cloud_api.catalog.models import Product
from cloud_api.core.management.organisation_args import add_org_store_arguments, org_and_store

TOP_RULES = 5


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise ValueError
        return value

    parse.__name__ = f"a whole number from {low} to {high}"
    return parse


class Command(BaseCommand):
    help = "Backtest the demand forecast against seasonal naive and Holt-Winters (MASE)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_org_store_arguments(parser)
        parser.add_argument("--horizon", type=_bounded(1, DAYS_AHEAD), default=7)
        parser.add_argument("--folds", type=_bounded(1, 52), default=4)
        parser.add_argument("--min-units", type=_bounded(0, 10**9), default=100)
        parser.add_argument(
            "--end", type=date.fromisoformat, default=None, help="YYYY-MM-DD (last sales day)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        _organisation, store = org_and_store(options["org"], options["store"])
        end = options["end"] or last_sales_day(store)
        if end is None:
            raise CommandError(f"{store.name} has no sales to backtest on.")
        series = store_series(store, last_day=end)
        if series is None:
            raise CommandError(f"{store.name} has no sales up to {end}.")
        try:
            result = backtest(
                series,
                end=end,
                horizon=options["horizon"],
                folds=options["folds"],
                min_units=options["min_units"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not result.products:
            raise CommandError(f"No product sold {options['min_units']} units up to {end}.")
        names = dict(
            Product.objects.filter(pk__in=[p.product_id for p in result.products]).values_list(
                "pk", "name"
            )
        )
        self.stdout.write(
            f"{store.name}: {len(result.products)} products, {result.folds} folds of "
            f"{result.horizon} days ending {end}; MASE (lower is better)"
        )
        self.stdout.write(f"{'product':<32} {'units':>7} " + " ".join(f"{m:>15}" for m in METHODS))
        for product in result.products:
            self.stdout.write(
                f"{names.get(product.product_id, '?')[:32]:<32} {product.units:>7.0f} "
                + " ".join(f"{product.mean(m):>15.3f}" for m in METHODS)
            )
        self.stdout.write(
            f"{'overall':<32} {'':>7} " + " ".join(f"{result.overall(m):>15.3f}" for m in METHODS)
        )
        self.stdout.write(
            f"BENCH forecast.mase_ratio_vs_seasonal_naive {result.ratio('forecast'):.4f} x"
        )
        self.stdout.write(
            "BENCH forecast.holt_winters.mase_ratio_vs_seasonal_naive "
            f"{result.ratio('holt_winters'):.4f} x"
        )
        self._basket_rules(store, series.first_day, end)

    def _basket_rules(self, store: Store, first: date, end: date) -> None:
        """The rules the nightly job would mine, over the whole history up to ``end``."""
        rules = association_rules(store_baskets(store=store, date_from=first, date_to=end))
        names = dict(
            Product.objects.filter(organisation=store.organisation).values_list("pk", "name")
        )
        self.stdout.write(f"Frequently bought together ({len(rules)} rules); the top {TOP_RULES}:")
        self.stdout.write(f"{'rule':<48} {'support':>8} {'confidence':>10} {'lift':>6}")
        for rule in rules[:TOP_RULES]:
            name = f"{names.get(rule.antecedent, '?')} -> {names.get(rule.consequent, '?')}"
            self.stdout.write(
                f"{name[:48]:<48} {rule.support:>8.4f} {rule.confidence:>10.3f} {rule.lift:>6.2f}"
            )
        top = rules[0].lift if rules else 0.0
        self.stdout.write(f"BENCH forecast.basket.top_lift {top:.4f} x")
