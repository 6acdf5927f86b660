"""Renders installer/asiria.svg to the PNG and ICO icons the Windows build needs.

Run with the build venv's Python (it has PySide6): ``python installer/make_icon.py dist/icon``.
It writes ``asiria.png`` (256 px) and ``asiria.ico`` (for asiria.spec and asiria.iss).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SOURCE = Path(__file__).resolve().with_name("asiria.svg")


def render(out_dir: Path, size: int = 256) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SOURCE)).render(painter)
    painter.end()
    written = []
    for name in ("asiria.png", "asiria.ico"):
        path = out_dir / name
        if not image.save(str(path)):
            raise SystemExit(f"could not write {path}")
        written.append(path)
    return written


if __name__ == "__main__":
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for path in render(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("dist/icon")):
        print(path)
