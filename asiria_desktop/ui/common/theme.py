"""The till's look: large type and touch-sized buttons, high contrast, one accent colour."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

# The lists and tables given a look of their own below (object names).
ITEM_VIEWS = (
    "cartTable",
    "searchResults",
    "paymentsList",
    "claimablePrompts",
    "parkedList",
    "refundLines",
    "stockLines",
    "stockSearchResults",
)
SELECTED_BG = "#2b6cb0"  # the accent colour
SELECTED_FG = "#ffffff"

STYLE = (
    """
QWidget { font-size: 15px; color: #1d2730; }
QMainWindow, #saleScreen, #loginScreen { background: #eef1f4; }
QDialog { background: #f7f8fa; }
QPushButton {
    min-height: 44px; padding: 4px 14px; border-radius: 8px;
    background: #ffffff; border: 1px solid #b9c3cc; font-weight: 600;
}
QPushButton:hover { background: #f1f5f9; }
QPushButton:pressed, QPushButton:checked { background: #d8e6f3; border-color: #2b6cb0; }
QPushButton:disabled { color: #9aa5b1; background: #f1f3f5; }
QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox {
    min-height: 40px; padding: 2px 10px; border: 1px solid #b9c3cc; border-radius: 6px;
    background: #ffffff; font-size: 17px;
}
QLineEdit:focus { border: 2px solid #2b6cb0; }
#searchEdit { min-height: 48px; font-size: 19px; }
#cartTable, #searchResults, #paymentsList, #parkedList, #refundLines, #stockLines,
#stockSearchResults {
    background: #ffffff; border: 1px solid #cfd6dd; border-radius: 6px; font-size: 16px;
    alternate-background-color: #f5f8fb; selection-background-color: #2b6cb0;
    selection-color: #ffffff;
}
#searchResults::item, #stockSearchResults::item {
    min-height: 48px; padding: 0 8px; border-bottom: 1px solid #edf0f3;
}
#cartTable::item { padding: 0 8px; }
/* A styled ::item draws no selection of its own: without these rules the chosen row of a list
   is white text on white. Every item view, focused or not (the search box keeps the keyboard
   while Enter adds the highlighted result), shows it the same way. */
QAbstractItemView::item:selected, SELECTED_ITEMS { background: SELECTED_BG; color: SELECTED_FG; }
QHeaderView::section {
    background: #e3e8ee; padding: 6px 8px; border: none; font-weight: 700; font-size: 14px;
}
#totalsPanel { background: #1f2d3a; border-radius: 8px; }
#totalsPanel QLabel { color: #aebdcb; font-size: 15px; }
#totalsPanel #subtotalValue { color: #ffffff; font-weight: 700; }
#totalsPanel #totalCaption { color: #ffffff; font-size: 26px; font-weight: 800; }
#totalsPanel #totalValue { color: #ffffff; font-size: 50px; font-weight: 800; }
#itemsLabel { color: #5b6773; font-size: 14px; }
#actionButton { font-size: 15px; background: #ffffff; }
#payButton {
    background: #1e8e3e; color: #ffffff; border: none; font-size: 26px; font-weight: 800;
}
#payButton:disabled { background: #9cc5a7; }
#payButton:hover { background: #23a047; }
#primaryButton { background: #2b6cb0; color: #ffffff; border: none; }
#primaryButton:disabled { background: #9bb7d4; }
#categoryButton { min-height: 46px; padding: 2px 4px; font-size: 14px; }
#categoryButton:checked { background: #2b6cb0; color: #ffffff; }
#productButton { min-height: 84px; padding: 2px 4px; font-size: 14px; }
#keypadButton { min-height: 64px; font-size: 24px; }
#loginPanel { background: #ffffff; border-radius: 12px; }
#loginTitle { font-size: 28px; font-weight: 800; }
#pinEdit { min-height: 56px; font-size: 30px; letter-spacing: 8px; }
#panelTitle { font-size: 14px; font-weight: 700; color: #5b6773; }
#receiptText {
    background: #fffef8; border: 1px solid #d8d3c0; font-family: "DejaVu Sans Mono", monospace;
    font-size: 13px;
}
#reportText { font-family: "DejaVu Sans Mono", monospace; font-size: 15px; background: #ffffff; }
#dialogTitle { font-size: 22px; font-weight: 800; }
#errorText { color: #b42318; font-weight: 600; }
#banner { border-radius: 8px; border: 1px solid #9bb7d4; background: #e7f0fa; }
#banner[level="success"] { background: #e6f4ea; border-color: #81c995; }
#banner[level="warning"] { background: #fff4d6; border-color: #e6b645; }
#banner[level="error"] { background: #fde7e7; border-color: #e08a8a; }
#banner QLabel { font-size: 17px; font-weight: 600; }
#banner QPushButton { min-height: 36px; }
#printerBanner { border-radius: 8px; border: 1px solid #e08a8a; background: #fde7e7; }
#printerBanner QLabel { font-size: 17px; font-weight: 600; color: #7a1010; }
#printerBanner QPushButton { min-height: 36px; padding: 0 12px; }
#paidLaterStrip { border-radius: 8px; border: 1px solid #7cc59a; background: #e3f6ea; }
#paidLaterStrip QLabel { font-size: 17px; font-weight: 600; color: #0d5a2c; }
#paidLaterStrip QPushButton { min-height: 36px; padding: 0 12px; }
#printerLabel[ok="false"] { color: #ffb4a9; font-weight: 700; }
#dueCaption, #changeCaption { font-size: 22px; font-weight: 800; color: #5b6773; }
#dueValue { font-size: 44px; font-weight: 800; }
#changeValue { font-size: 64px; font-weight: 800; color: #5b6773; }
#changeValue[hasChange="true"] { color: #1e8e3e; }
#mpesaHeading { font-size: 26px; font-weight: 800; }
#mpesaStatus { font-size: 18px; font-weight: 600; }
#mpesaCountdown { font-size: 30px; font-weight: 800; color: #5b6773; }
#claimablePrompts { font-size: 17px; }
#claimSection { font-size: 16px; font-weight: 700; }
#claimablePrompts::item { padding: 8px 4px; }
#methodButton { min-height: 56px; font-size: 18px; }
#methodButton:checked { background: #2b6cb0; color: #ffffff; }
#shiftAction { min-height: 56px; }
QSpinBox::up-button, QSpinBox::down-button,
QDoubleSpinBox::up-button, QDoubleSpinBox::down-button { width: 30px; }
QStatusBar { background: #1f2d3a; }
QStatusBar QLabel { color: #e6ecf1; padding: 2px 12px; font-size: 14px; }
QStatusBar #cashierLabel { font-weight: 700; }
QStatusBar #networkIcon { font-size: 18px; padding: 2px 0 2px 10px; }
QStatusBar #networkLabel { font-weight: 700; padding: 2px 12px 2px 6px; }
#networkBadge { border-radius: 6px; }
#networkBadge[state="offline"] { background: #b42318; }
#networkBadge[state="connecting"] { background: #8a5a00; }
#networkIcon[state="online"], #networkLabel[state="online"] { color: #5ee08a; }
#networkIcon[state="offline"], #networkLabel[state="offline"] { color: #ffffff; }
#networkIcon[state="connecting"], #networkLabel[state="connecting"] { color: #ffffff; }
#refundTotal { font-size: 22px; font-weight: 800; }
QStatusBar #detailsButton { min-height: 26px; padding: 0 10px; font-size: 13px; }
#noticesButton[unread="true"] { background: #b42318; color: #ffffff; font-weight: 700; }
""".replace("SELECTED_ITEMS", ", ".join(f"#{name}::item:selected" for name in ITEM_VIEWS))
    .replace("SELECTED_BG", SELECTED_BG)
    .replace("SELECTED_FG", SELECTED_FG)
)


def apply_theme(window: QWidget) -> None:
    font = QFont(window.font())
    font.setPointSize(11)
    window.setFont(font)
    window.setStyleSheet(STYLE)
