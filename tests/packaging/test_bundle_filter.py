"""What the till bundle leaves out (installer/bundle_filter.py, used by installer/asiria.spec)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))

from bundle_filter import excluded_modules, keep

QT = "PySide6/Qt"


@pytest.mark.parametrize(
    "path",
    [
        f"{QT}/lib/libQt6Core.so.6",
        f"{QT}/lib/libQt6Gui.so.6",
        f"{QT}/lib/libQt6Widgets.so.6",
        f"{QT}/lib/libQt6DBus.so.6",
        f"{QT}/lib/libQt6XcbQpa.so.6",
        f"{QT}/plugins/platforms/libqxcb.so",
        f"{QT}/plugins/platforms/libqoffscreen.so",
        "PySide6/plugins/platforms/qwindows.dll",
        f"{QT}/plugins/imageformats/libqjpeg.so",
        f"{QT}/plugins/imageformats/libqsvg.so",
        "PySide6/QtWidgets.abi3.so",
        "PIL/_imaging.cpython-311-x86_64-linux-gnu.so",
        "pillow.libs/libjpeg-6dc8d115.so.62.4.0",
        "asiria_desktop/local_db/migrations/versions/0001_initial_schema.py",
        "libpython3.11.so.1.0",
    ],
)
def test_what_the_till_loads_stays(path: str) -> None:
    assert keep(path)


@pytest.mark.parametrize(
    "path",
    [
        f"{QT}/lib/libQt6Qml.so.6",
        f"{QT}/lib/libQt6Quick.so.6",
        f"{QT}/lib/libQt6VirtualKeyboard.so.6",
        f"{QT}/lib/libQt6Pdf.so.6",
        f"{QT}/lib/libQt6WebEngineCore.so.6",
        f"{QT}/lib/libQt6WaylandClient.so.6",
        f"{QT}/lib/libQt6WlShellIntegration.so.6",
        f"{QT}/lib/libQt6EglFSDeviceIntegration.so.6",
        f"{QT}/lib/libQt6OpenGL.so.6",
        f"{QT}/plugins/platforms/libqwayland-generic.so",
        f"{QT}/plugins/wayland-shell-integration/libxdg-shell.so",
        f"{QT}/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        f"{QT}/plugins/platformthemes/libqgtk3.so",
        f"{QT}/translations/qtbase_de.qm",
        f"{QT}/qml/QtQuick/Controls/qmldir",
        "libgtk-3.so.0",
        "libcairo.so.2",
        "PIL/_avif.cpython-311-x86_64-linux-gnu.so",
        "pillow.libs/libavif-c6062d5f.so.16.4.2",
        "PySide6\\Qt6Quick.dll",
    ],
)
def test_what_the_till_never_loads_is_dropped(path: str) -> None:
    assert not keep(path)


def test_the_cloud_never_goes_into_the_till_bundle() -> None:
    excluded = excluded_modules(camera=True)
    for module in ("cloud_api", "django", "rest_framework", "celery", "pymysql", "pytest"):
        assert module in excluded


def test_camera_scanning_is_in_only_when_asked_for() -> None:
    assert {"cv2", "numpy"} <= set(excluded_modules(camera=False))
    assert not {"cv2", "numpy"} & set(excluded_modules(camera=True))
