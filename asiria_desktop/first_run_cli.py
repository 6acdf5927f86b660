"""``asiria run`` on a new till: the first-run wizard before the sale screen, and training mode.

Training mode keeps its own demo shop in ``<data dir>/training`` (its own database, receipts
and backups), marked by the file ``<data dir>/training-mode``: the shop's real database is never
touched by practice sales, and the training till never syncs. ``asiria setup`` removes the mark
and shows the wizard again (to leave training mode, or to connect a till that chose "later").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from asiria_desktop.config import StoreSettings, TillConfig

if TYPE_CHECKING:
    from asiria_desktop.bootstrap import Till
    from asiria_desktop.services.container import TillServices

TRAINING_MARKER = "training-mode"
TRAINING_NOTE = "TRAINING MODE - practice sales, never sent to head office"
RUN, TRAINING = "run", "training"


def training_chosen(config: TillConfig) -> bool:
    return (config.data_dir / TRAINING_MARKER).exists()


def training_config(
    config: TillConfig, demo_store: Callable[[StoreSettings], StoreSettings]
) -> TillConfig:
    """The training shop: its own folder, simulated devices, the demo store's name."""
    return replace(
        config,
        data_dir=config.data_dir / "training",
        training=True,
        store=demo_store(config.store),
    )


def first_run(
    config: TillConfig,
    open_till: Callable[[TillConfig], Till | int],
    *,
    setup: bool,
    ask: Callable[[TillServices], str] | None = None,
) -> tuple[str, Till | None] | int:
    """What ``asiria run`` starts: ``(RUN, till)`` with the real till open, ``(TRAINING, None)``,
    or an exit code (the wizard's window was closed, or the database could not be opened).

    ``ask(services)`` shows the wizard and returns its choice (tests pass their own)."""
    marker = config.data_dir / TRAINING_MARKER
    if setup:
        marker.unlink(missing_ok=True)
    elif marker.exists():
        return TRAINING, None
    till = open_till(config)
    if isinstance(till, int):
        return till
    sync = till.services.sync
    if setup:
        sync.offer_enrolment_again()
    if not sync.should_offer_enrolment():
        return RUN, till
    if ask is None:
        from asiria_desktop.ui.sync.first_run import run_first_run

        ask = run_first_run
    try:
        choice = ask(till.services)
    finally:
        till.close()  # device settings and the enrolment apply when the till opens again
    if choice == "cancelled":
        return 0
    if choice == TRAINING:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(
            "This till runs in training mode (practice sales in ./training).\n"
            "Run `asiria setup` to set up the real shop.\n",
            encoding="utf-8",
        )
        return TRAINING, None
    reopened = open_till(config)
    return reopened if isinstance(reopened, int) else (RUN, reopened)
