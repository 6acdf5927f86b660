"""The one way widgets call services: in the background, with approvals and plain errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from asiria_desktop.domain.errors import ApprovalRequired
from asiria_desktop.services.container import TillServices
from asiria_desktop.services.results import Approval
from asiria_desktop.ui.common.background import BackgroundRunner, Failure
from asiria_desktop.ui.signin.approval_dialog import ApprovalDialog

T = TypeVar("T")

ShowError = Callable[[BaseException], None]


class Operations:
    """Shared by every screen of one window: runner, services and where errors go."""

    def __init__(
        self,
        services: TillServices,
        runner: BackgroundRunner,
        dialog_parent: QWidget,
        show_error: ShowError,
    ) -> None:
        self.services = services
        self.runner = runner
        self.dialog_parent = dialog_parent
        self.show_error = show_error

    def run(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Failure | None = None,
    ) -> None:
        self.runner.run(work, on_success, on_failure or self.show_error)

    def read(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Failure | None = None,
    ) -> None:
        self.runner.read(work, on_success, on_failure or self.show_error)

    def run_approved(
        self,
        work: Callable[[Approval | None], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Failure | None = None,
        *,
        approval: Approval | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Run `work(approval)`; on ApprovalRequired ask for a manager PIN and run it again.

        The first try goes with no approval; the service decides whether the action needs one.
        """
        fail = on_failure or self.show_error

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, ApprovalRequired):
                fail(exc)
                return
            dialog = ApprovalDialog(
                self.services.auth,
                self.runner,
                exc,
                parent or self.dialog_parent,
                biometrics=self.services.biometrics,
            )
            dialog.approved.connect(
                lambda granted: self.run_approved(
                    work, on_success, on_failure, approval=granted, parent=parent
                )
            )
            # Cancelled: the action did not happen; say so with the service's own words.
            dialog.rejected.connect(lambda: fail(exc))
            dialog.open()

        self.runner.run(lambda: work(approval), on_success, failed)
