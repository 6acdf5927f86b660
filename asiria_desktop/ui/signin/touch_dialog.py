"""Sign in, or approve as a manager, by touch: pick the reader (and the person, when the reader
can't tell who touched), then touch. The PIN stays on the screen behind it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.services.results import Approval, CashierSession
from asiria_desktop.services.signin.biometrics import BiometricService, PersonView, ReaderView
from asiria_desktop.ui.common.background import BackgroundRunner
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.widgets import error_line


class TouchDialog(QDialog):
    """``purpose``: "login" (emits ``signed_in(CashierSession)``) or "approval" of ``action``
    (emits ``approved(Approval)``)."""

    signed_in = Signal(object)
    approved = Signal(object)

    def __init__(
        self,
        biometrics: BiometricService,
        runner: BackgroundRunner,
        purpose: str,
        action: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        if purpose == "approval" and not action:
            raise ValueError("An approval by touch names the action it approves.")
        super().__init__(parent)
        self.setObjectName("touchDialog")
        self.setModal(True)
        self._bio = biometrics
        self._runner = runner
        self._purpose = purpose
        self._action = action
        self._readers: list[ReaderView] = []
        self._waiting_kind: str | None = None
        approving = purpose == "approval"
        self.setWindowTitle("Manager approval by touch" if approving else "Sign in by touch")
        self.prompt = QLabel("Looking for fingerprint readers and security keys…")
        self.prompt.setObjectName("touchPrompt")
        self.prompt.setWordWrap(True)
        self.reader_box = QComboBox()
        self.reader_box.setObjectName("touchReader")
        self.reader_box.currentIndexChanged.connect(self._reader_changed)
        self.person_box = QComboBox()
        self.person_box.setObjectName("touchPerson")
        self.error_label = error_line()
        buttons = QDialogButtonBox()
        self.touch_button = buttons.addButton("Touch now", QDialogButtonBox.ButtonRole.AcceptRole)
        self.touch_button.setObjectName("touchNow")
        self.touch_button.setEnabled(False)
        cancel = buttons.addButton("Use PIN instead (Esc)", QDialogButtonBox.ButtonRole.RejectRole)
        self.touch_button.clicked.connect(self.touch)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.prompt, self.reader_box, self.person_box, self.error_label, buttons):
            layout.addWidget(widget)
        self.reader_box.hide()
        self.person_box.hide()
        self.setMinimumWidth(440)
        self._runner.read(self._bio.readers, self._show_readers, self._failed)

    # -- set-up ---------------------------------------------------------------------------------

    def _show_readers(self, readers: list[ReaderView]) -> None:
        self._readers = [r for r in readers if r.unavailable_reason is None]
        if not self._readers:
            reasons = " ".join(r.unavailable_reason for r in readers if r.unavailable_reason)
            self.prompt.setText("No fingerprint reader or security key is ready. Use your PIN.")
            self.error_label.setText(reasons)
            return
        self.reader_box.blockSignals(True)
        for reader in self._readers:
            self.reader_box.addItem(reader.label.capitalize(), reader.kind)
        self.reader_box.blockSignals(False)
        self.reader_box.setVisible(len(self._readers) > 1)
        self._reader_changed()

    def _reader_changed(self) -> None:
        reader = self._reader()
        if reader is None:
            return
        self.person_box.clear()
        self.error_label.clear()
        if reader.identifies_person:
            self.person_box.hide()
            self.prompt.setText(f"Press Touch now, then touch your {reader.label}.")
            self.touch_button.setEnabled(True)
            return
        self.touch_button.setEnabled(False)
        kind = reader.kind
        self._runner.read(
            lambda: self._bio.people_for(kind, approvers_for=self._action),
            lambda people: self._show_people(kind, people),
            self._failed,
        )

    def _show_people(self, kind: str, people: list[PersonView]) -> None:
        reader = self._reader()
        if reader is None or reader.kind != kind:
            return  # the reader was changed meanwhile
        if not people:
            self.prompt.setText(f"Nobody has a {reader.label} enrolled here yet. Use your PIN.")
            return
        for person in people:
            self.person_box.addItem(person.name, person.user_id)
        self.person_box.show()
        self.prompt.setText(f"Pick your name, press Touch now, then use the {reader.label}.")
        self.touch_button.setEnabled(True)

    # -- the touch ------------------------------------------------------------------------------

    def touch(self) -> None:
        reader = self._reader()
        if reader is None:
            return
        user_id = None if reader.identifies_person else self.person_box.currentData()
        kind = reader.kind
        self._waiting_kind = kind
        self.touch_button.setEnabled(False)
        self.error_label.clear()
        self.prompt.setText(f"Touch the {reader.label} now…")
        if self._purpose == "approval":
            action = self._action or ""  # never empty here: checked when the dialog was made
            self._runner.run(
                lambda: self._bio.approve(kind, action, user_id), self._on_approved, self._failed
            )
        else:
            self._runner.run(
                lambda: self._bio.sign_in(kind, user_id), self._on_signed_in, self._failed
            )

    def reject(self) -> None:
        if self._waiting_kind is not None:
            self._bio.cancel(self._waiting_kind)  # the reader stops waiting for a finger
        super().reject()

    def _on_signed_in(self, session: CashierSession) -> None:
        self._waiting_kind = None
        self.signed_in.emit(session)
        self.accept()

    def _on_approved(self, approval: Approval) -> None:
        self._waiting_kind = None
        self.approved.emit(approval)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._waiting_kind = None
        self.touch_button.setEnabled(self._reader() is not None)
        self.prompt.setText("Try again, or use your PIN.")
        self.error_label.setText(plain_message(exc))

    def _reader(self) -> ReaderView | None:
        kind = self.reader_box.currentData()
        return next((r for r in self._readers if r.kind == kind), None)
