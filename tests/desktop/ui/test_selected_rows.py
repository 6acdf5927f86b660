"""The highlighted row of every list is readable: the stylesheet gives selected items their own
colours with enough contrast, and the search results show the chosen row on screen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from asiria_desktop.ui.common.theme import ITEM_VIEWS, STYLE

from .conftest import PERSON_GAP_MS, send_text


def _relative_luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + 0.0722 * channel(color.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, 1 (same) to 21 (black on white)."""
    high, low = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _selected_rules() -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(
        r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", STYLE, flags=re.S)
    ):
        props = dict(
            (k.strip(), v.strip())
            for k, v in (p.split(":", 1) for p in body.split(";") if ":" in p)
        )
        for selector in selectors.split(","):
            selector = selector.strip()
            if selector.endswith("::item:selected"):
                rules[selector.removesuffix("::item:selected")] = props
    return rules


@pytest.mark.parametrize("view", ["QAbstractItemView", *(f"#{name}" for name in ITEM_VIEWS)])
def test_every_item_view_has_readable_selected_rows(view: str) -> None:
    rules = _selected_rules()
    assert view in rules, f"{view} has no ::item:selected rule"
    background = QColor(rules[view]["background"])
    text = QColor(rules[view]["color"])
    assert background.isValid() and text.isValid()
    assert contrast(background, text) >= 4.5  # WCAG AA for normal text


def test_every_list_the_theme_styles_is_covered() -> None:
    styled = set(re.findall(r"#(\w+)::item", STYLE))
    assert styled <= set(ITEM_VIEWS)
    assert {"cartTable", "searchResults", "stockSearchResults"} <= set(ITEM_VIEWS)


def test_the_highlighted_search_result_shows_its_text(cashier: Any) -> None:
    """Typing "fan" shows Fanta highlighted, its name readable on the highlight."""
    cashier.log_in()
    search = cashier.sale.search_edit
    cashier.focus(search)
    send_text(search, "fan", PERSON_GAP_MS)
    results = cashier.sale.results
    cashier.wait(lambda: results.count() > 0 and results.currentRow() == 0)
    assert results.item(0).text().startswith("Fanta")
    assert QApplication.focusWidget() is search  # the list shows the row without the focus

    image: QImage = results.grab(results.visualItemRect(results.item(0))).toImage()
    colours = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    background = max(set(c.rgb() for c in colours), key=[c.rgb() for c in colours].count)
    row_colour = QColor.fromRgb(background)
    readable = [c for c in colours if contrast(c, row_colour) >= 3]
    assert contrast(row_colour, QColor("#ffffff")) >= 4.5, "the highlight is not visible"
    assert len(readable) > 50, "the highlighted row's text does not stand out from it"
