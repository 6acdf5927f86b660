"""The manager's view of today's sales at this till: the figures, the payment mix, the best
sellers and takings by hour as a small bar chart (QPainter: QtCharts is not part of
PySide6-Essentials). Everything comes from the till's own database, so it works offline."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.services.shift.insights import HourBar, TodayFigures

BAR_COLOUR = QColor("#1f6f8b")
AXIS_COLOUR = QColor("#5a6570")


class HourlyChart(QWidget):
    """Takings per hour as vertical bars, the hour under each bar and the best hour's
    amount above it (a cashier reads the shape; the exact figures are in the table)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hourlyChart")
        self.setMinimumHeight(180)
        self.bars: tuple[HourBar, ...] = ()

    def set_bars(self, bars: tuple[HourBar, ...]) -> None:
        self.bars = bars
        self.setAccessibleDescription(
            "; ".join(f"{bar.label}:00 {bar.total_text}" for bar in bars if bar.total_cents)
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, 200)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(8, 22, -8, -22)
        painter.setPen(AXIS_COLOUR)
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        if not self.bars:
            return
        highest = max(bar.total_cents for bar in self.bars)
        slot = area.width() / len(self.bars)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.8))
        painter.setFont(small)
        for index, bar in enumerate(self.bars):
            left = area.left() + index * slot
            label = QRectF(left, area.bottom() + 2, slot, 18)
            painter.setPen(AXIS_COLOUR)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, bar.label)
            if not highest or not bar.total_cents:
                continue
            height = area.height() * bar.total_cents / highest
            body = QRectF(left + slot * 0.15, area.bottom() - height, slot * 0.7, height)
            painter.fillRect(body, BAR_COLOUR)
            if bar.total_cents == highest:
                top = QRectF(left - slot, body.top() - 18, slot * 3, 16)
                painter.drawText(top, Qt.AlignmentFlag.AlignCenter, bar.total_text)


def _table(rows: Sequence[tuple[str, ...]], empty: str) -> QWidget:
    box = QWidget()
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    if not rows:
        grid.addWidget(QLabel(empty), 0, 0)
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            label = QLabel(text)
            if column:
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, row, column)
    grid.setColumnStretch(0, 1)
    return box


class ManagerView(QDialog):
    def __init__(self, figures: TodayFigures, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerView")
        self.setWindowTitle("Today at this till")
        self.setModal(True)
        self.setMinimumSize(760, 560)
        title = QLabel(f"Today at this till: {figures.date_text}")
        title.setObjectName("dialogTitle")

        self.tiles: dict[str, QLabel] = {}
        tiles = QHBoxLayout()
        for key, caption, value in (
            ("sales", "Sales", str(figures.sales_count)),
            ("total", "Total", figures.total_text),
            ("average", "Average sale", figures.average_text),
        ):
            tile = QGroupBox(caption)
            inner = QVBoxLayout(tile)
            number = QLabel(value)
            number.setObjectName("figureValue")
            big = QFont(number.font())
            big.setPointSizeF(big.pointSizeF() * 1.8)
            big.setBold(True)
            number.setFont(big)
            inner.addWidget(number)
            tiles.addWidget(tile)
            self.tiles[key] = number
        notes = [text for text in (figures.voided_text, figures.refunds_text) if text]
        self.notes = QLabel("; ".join(notes))
        self.notes.setVisible(bool(notes))

        self.chart = HourlyChart()
        self.chart.set_bars(figures.hours)
        chart_box = QGroupBox("Takings by hour")
        QVBoxLayout(chart_box).addWidget(self.chart)

        mix_box = QGroupBox("Payment mix")
        mix_rows = [(row.label, row.amount_text, row.share_text) for row in figures.payment_mix]
        QVBoxLayout(mix_box).addWidget(_table(mix_rows, "No payments yet today."))
        top_box = QGroupBox("Top products")
        top_rows = [(row.name, row.qty_text, row.total_text) for row in figures.top_products]
        QVBoxLayout(top_box).addWidget(_table(top_rows, "Nothing sold yet today."))
        self.mix_rows, self.top_rows = mix_rows, top_rows
        lower = QHBoxLayout()
        lower.addWidget(mix_box, 2)
        lower.addWidget(top_box, 3)

        close = QPushButton("Close (Esc)")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(tiles)
        layout.addWidget(self.notes)
        layout.addWidget(chart_box, 1)
        layout.addLayout(lower)
        layout.addWidget(close)
