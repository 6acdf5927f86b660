"""What the till's bundle leaves out (used by asiria.spec; checked by tests/packaging).

The till draws widgets with QtWidgets (platform plugins xcb on Linux, windows on Windows, and
offscreen for the self-test) and reads PNG/JPEG/SVG/ICO images. Everything else PySide6's hooks
collect is dead weight: QML and Quick, the virtual keyboard, PDF, WebEngine, Wayland (the
till runs on X11, or Xwayland on a Wayland desktop), OpenGL-only integrations and Qt's
translations of its own tools, and the GTK theme plugin (with GTK, Cairo and Pango behind it:
the till draws its own style).

Camera scanning (OpenCV and NumPy, about 190 MB) is left out unless the bundle is built with
``ASIRIA_BUNDLE_CAMERA=1``: most shops scan with a USB or serial scanner, and the standard
package then stays within its size budget. Without it the camera settings say plainly that this
installation cannot scan with a camera.
"""

from __future__ import annotations

import re

EXCLUDED_MODULES = [
    # The cloud and its libraries: never in the till.
    "cloud_api",
    "django",
    "rest_framework",
    "rest_framework_simplejwt",
    "oauth2_provider",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "celery",
    "kombu",
    "redis",
    "pymysql",
    "gunicorn",
    "openpyxl",
    "webauthn",
    "jsonschema_rs",
    # Tools for building and testing.
    "pytest",
    "hypothesis",
    "PyInstaller",
    "setuptools",
    "pip",
    "tkinter",
    "IPython",
    "matplotlib",
    # Qt modules the till never imports.
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuick3D",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebChannel",
    "PySide6.QtVirtualKeyboard",
    "PySide6.QtMultimedia",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtNetwork",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtHelp",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtDBus",
]

CAMERA_MODULES = ["cv2", "numpy", "pyzbar"]

# Matched against a file's path inside the bundle (forward slashes).
_DROPPED = [
    r"Qt6?(Qml|Quick|VirtualKeyboard|Pdf|WebEngine|WebChannel|Wayland|Designer|Help|Multimedia"
    r"|ShaderTools|Sql|Test|Network|OpenGL|Xml|EglFS|EglFs|WlShell)",
    r"/plugins/(wayland[^/]*|platforminputcontexts|qmltooling|egldeviceintegrations"
    r"|xcbglintegrations|generic|networkinformation|tls|sqldrivers|designer|multimedia)/",
    r"/plugins/platforms/lib(qwayland|qvnc|qlinuxfb|qeglfs|qminimalegl|qvkkhrdisplay)",
    r"/plugins/imageformats/lib(qtiff|qwebp|qicns|qtga|qwbmp|qpdf)",
    r"/plugins/platformthemes/libqgtk3",
    # GTK and what it pulls in, only there for the GTK theme plugin above.
    r"/lib(gtk-3|gdk-3|gdk_pixbuf-2|pango|atk|atspi|cairo|epoxy|thai|datrie|fribidi|graphite2"
    r"|pixman)[^/]*$",
    # Pillow (python-escpos prints images with it) without the codecs and font engine receipts
    # never use: AVIF, WebP, colour profiles, Tk, FreeType text.
    r"/PIL/_(avif|webp|imagingcms|imagingtk|imagingft)\.",
    r"/pillow\.libs/lib(avif|webp|sharpyuv|lcms2|freetype|harfbuzz|brotli|png16)",
    r"/translations/",
    r"/qml/",
]
_DROP = re.compile("|".join(_DROPPED))


def excluded_modules(*, camera: bool) -> list[str]:
    """The Python packages kept out of the bundle."""
    return EXCLUDED_MODULES if camera else EXCLUDED_MODULES + CAMERA_MODULES


def keep(bundle_path: str) -> bool:
    """False for a file the till never loads."""
    path = "/" + bundle_path.replace("\\", "/")
    return _DROP.search(path) is None
