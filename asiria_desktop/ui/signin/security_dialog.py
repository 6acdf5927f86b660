"""Sign-in and security (a manager's): enrol or remove fingerprints and security keys, and the
risks of how this till is set up, each with what to do about it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.services.results import Approval
from asiria_desktop.services.signin.biometrics import (
    BiometricService,
    EnrolledView,
    PersonView,
    ReaderView,
)
from asiria_desktop.services.signin.security_risks import SecurityRisk, SecurityRisks
from asiria_desktop.ui.common.background import BackgroundRunner
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.widgets import error_line


class SecurityDialog(QDialog):
    def __init__(
        self,
        biometrics: BiometricService,
        risks: SecurityRisks | None,
        runner: BackgroundRunner,
        people: list[PersonView],
        approval: Approval | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("securityDialog")
        self.setWindowTitle("Sign-in and security")
        self.setModal(True)
        self._bio = biometrics
        self._runner = runner
        self._approval = approval  # the manager approval that opened the screen, reused

        enrolled_box = QGroupBox("Fingerprints and security keys")
        self.enrolled_list = QListWidget()
        self.enrolled_list.setObjectName("enrolledList")
        self.person_box = QComboBox()
        self.person_box.setObjectName("enrolPerson")
        for person in people:
            self.person_box.addItem(f"{person.name} ({person.role})", person.user_id)
        self.reader_box = QComboBox()
        self.reader_box.setObjectName("enrolReader")
        self.enrol_button = QPushButton("Enrol (then touch)")
        self.enrol_button.setObjectName("enrolButton")
        self.enrol_button.setEnabled(False)
        self.enrol_button.clicked.connect(self.enrol)
        self.remove_button = QPushButton("Remove selected")
        self.remove_button.setObjectName("removeButton")
        self.remove_button.clicked.connect(self.remove_selected)
        self.status_label = QLabel("Looking for readers…")
        self.status_label.setWordWrap(True)
        self.error_label = error_line()
        row = QHBoxLayout()
        for widget in (self.person_box, self.reader_box, self.enrol_button):
            row.addWidget(widget)
        enrolled_layout = QVBoxLayout(enrolled_box)
        enrolled_layout.addWidget(self.enrolled_list)
        enrolled_layout.addWidget(self.remove_button)
        enrolled_layout.addLayout(row)
        enrolled_layout.addWidget(self.status_label)
        enrolled_layout.addWidget(self.error_label)

        risks_box = QGroupBox("Risks on this till")
        self.risks_label = QLabel()
        self.risks_label.setObjectName("securityRisks")
        self.risks_label.setWordWrap(True)
        QVBoxLayout(risks_box).addWidget(self.risks_label)
        self._show_risks(risks.current() if risks is not None else [])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(enrolled_box)
        layout.addWidget(risks_box)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)
        self.refresh()
        self._runner.read(self._bio.readers, self._show_readers, self._failed)

    def refresh(self) -> None:
        self._runner.read(self._bio.enrolled, self._show_enrolled, self._failed)

    def enrol(self) -> None:
        user_id = self.person_box.currentData()
        kind = self.reader_box.currentData()
        if user_id is None or kind is None:
            return
        self.enrol_button.setEnabled(False)
        self.error_label.clear()
        self.status_label.setText(
            f"{self.person_box.currentText()}: touch the {self.reader_box.currentText()} now "
            "(a fingerprint reader asks for the same finger several times)."
        )
        approval = self._approval
        self._runner.run(
            lambda: self._bio.enrol(kind, user_id, approval), self._enrolled, self._failed
        )

    def remove_selected(self) -> None:
        item = self.enrolled_list.currentItem()
        if item is None:
            self.error_label.setText("Pick the fingerprint or key to remove first.")
            return
        credential_id = item.data(256)
        approval = self._approval
        self._runner.run(
            lambda: self._bio.remove(credential_id, approval),
            lambda _none: self._done("Removed. That finger or key no longer signs in."),
            self._failed,
        )

    def _show_readers(self, readers: list[ReaderView]) -> None:
        ready = [r for r in readers if r.unavailable_reason is None]
        for reader in ready:
            self.reader_box.addItem(reader.label, reader.kind)
        self.enrol_button.setEnabled(bool(ready))
        missing = [r.unavailable_reason for r in readers if r.unavailable_reason is not None]
        self.status_label.setText(
            " ".join(missing) if not ready else "Pick the person and the reader, then Enrol."
        )

    def _show_enrolled(self, enrolled: list[EnrolledView]) -> None:
        self.enrolled_list.clear()
        for entry in enrolled:
            item = QListWidgetItem(entry.text)
            item.setData(256, entry.credential_id)  # Qt.ItemDataRole.UserRole
            self.enrolled_list.addItem(item)
        if not enrolled:
            self.enrolled_list.addItem("Nobody signs in by touch yet: PINs only.")

    def _show_risks(self, risks: list[SecurityRisk]) -> None:
        if not risks:
            self.risks_label.setText("No known risks in how this till is set up.")
            return
        parts = []
        for risk in risks:
            steps = "".join(f"<li>{step}</li>" for step in risk.what_to_do)
            parts.append(
                f"<p><b>{risk.title}</b></p><p>{risk.explanation}</p>"
                f"<p>What to do:</p><ol>{steps}</ol>"
            )
        self.risks_label.setText("".join(parts))

    def _enrolled(self, entry: EnrolledView) -> None:
        self._done(f"Enrolled: {entry.text}.")

    def _done(self, message: str) -> None:
        self.status_label.setText(message)
        self.enrol_button.setEnabled(self.reader_box.count() > 0)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.enrol_button.setEnabled(self.reader_box.count() > 0)
        self.status_label.setText("Not done.")
        self.error_label.setText(plain_message(exc))
