"""Prompts paid after the till stopped waiting: after each sync the till asks its cloud about
the prompts it keeps that are still unresolved, and tells the sale screen about every paid one
that no sale holds, so the cashier sees it without opening the claim screen first."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from asiria_desktop.domain.mpesa import display_phone, shillings_text
from asiria_desktop.services.results import CartView
from asiria_desktop.services.sale.mpesa import ClaimablePrompt, MpesaService

log = logging.getLogger(__name__)

NewsListener = Callable[["PaidLaterNews"], None]


@dataclass(frozen=True)
class PaidLaterNews:
    """The paid prompts on no sale, and what the sale screen says about them."""

    prompts: tuple[ClaimablePrompt, ...] = ()

    @property
    def text(self) -> str:
        if not self.prompts:
            return ""
        if len(self.prompts) == 1:
            prompt = self.prompts[0]
            return (
                f"M-Pesa payment received: {shillings_text(prompt.amount_cents)} from "
                f"{display_phone(prompt.phone)}, not on any sale."
            )
        total = sum(prompt.amount_cents for prompt in self.prompts)
        return (
            f"{len(self.prompts)} M-Pesa payments received ({shillings_text(total)} in all), "
            "not on any sale."
        )


def mpesa_receipts(view: CartView) -> list[str]:
    """The M-Pesa receipts (and other references) of the payments on a sale in progress."""
    return [payment.reference for payment in view.payments if payment.reference]


class PaidLaterWatch:
    def __init__(self, mpesa: MpesaService, in_cart: Callable[[], list[str]]) -> None:
        """``in_cart``: the M-Pesa receipts already on the sale being rung up (not news)."""
        self._mpesa = mpesa
        self._in_cart = in_cart
        self._lock = threading.Lock()
        self._news = PaidLaterNews()
        self._listeners: list[NewsListener] = []

    def on_news(self, listener: NewsListener) -> None:
        """Call ``listener`` (on the thread that checked) whenever the list changes."""
        with self._lock:
            self._listeners.append(listener)

    @property
    def news(self) -> PaidLaterNews:
        with self._lock:
            return self._news

    def check(self) -> PaidLaterNews:
        """After a sync: ask the cloud about this till's prompts still unresolved (their new
        state is kept on the till), then list the paid ones no sale holds."""
        return self._publish(self._mpesa.claimable(self._in_cart()))

    def recount(self) -> PaidLaterNews:
        """After a sale or a claim: the same list from the till's own records, no network."""
        return self._publish(self._mpesa.claimable(self._in_cart(), ask_cloud=False))

    def _publish(self, prompts: list[ClaimablePrompt]) -> PaidLaterNews:
        news = PaidLaterNews(tuple(prompts))
        with self._lock:
            changed, self._news = news != self._news, news
            listeners = list(self._listeners)
        if changed:
            if news.prompts:
                log.info("%d paid M-Pesa prompt(s) on no sale", len(news.prompts))
            for listener in listeners:
                try:
                    listener(news)
                except Exception:  # a closed window's listener must not stop the others
                    log.exception("paid-later listener failed")
        return news
